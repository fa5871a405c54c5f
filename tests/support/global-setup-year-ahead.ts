import { setUpDatabase } from "./global-setup";

export default () => setUpDatabase("year-ahead");
