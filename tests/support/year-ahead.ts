// For the "year-ahead" project: the machine's real time is moved a year on (Date in this test
// process, which also runs the built server), while the tests pin the app's clock as usual. A
// link signed at a pinned moment must be checked against that same moment, never the machine's
// time: if anything read the real time, the year-ahead run fails where the normal run passes.
import { vi } from "vitest";

const YEAR = 365 * 24 * 3600_000;
vi.useFakeTimers({ toFake: ["Date"], now: Date.now() + YEAR, shouldAdvanceTime: true });
