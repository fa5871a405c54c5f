// For the "year-ahead" project: the machine's real time is moved a year on, to 03:30 in New York
// (the test shops' time zone, outside every send window), in this test process, which also runs
// the built server; the tests pin the app's clock as usual. A link signed at a pinned moment must
// be checked against that same moment, and a test must not depend on the hour it runs at: if
// anything read the machine's time, this run fails where the normal run passes.
import { vi } from "vitest";

const today = new Date();
const nightAYearOn = Date.UTC(today.getUTCFullYear() + 1, today.getUTCMonth(), today.getUTCDate(), 8, 30);
vi.useFakeTimers({ toFake: ["Date"], now: nightAYearOn, shouldAdvanceTime: true });
