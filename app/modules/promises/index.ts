// Delivery promises: made when an order is paid, watched to the door, apologised for when broken.
export { awaitingApologies, onTimeByWeek, promisesPage, type AtRisk, type Broken, type Week } from "./admin";
export { promiseSettingsPage, savePromiseSettingsForm } from "./settings";
export { BREACH_KINDS, decideBreach, type BreachKind } from "./watch";
export { goodwillName, readGoodwill, type Goodwill } from "./settings-form";
export { goodwillOfReward, goodwillTerms } from "./goodwill";
