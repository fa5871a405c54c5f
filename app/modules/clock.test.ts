import { setTimeout as sleep } from "node:timers/promises";
import { afterEach, describe, expect, it } from "vitest";
import { now, setNow, startClockAt } from "./clock";

afterEach(() => setNow(null));

describe("the clock", () => {
  it("pinned, stands still; started at an instant, runs on from it; released, is the machine's", async () => {
    const at = new Date("2030-06-01T12:00:00Z");
    setNow(at);
    await sleep(30);
    expect(now().getTime()).toBe(at.getTime());

    startClockAt(at); // a looping `worker --now`
    await sleep(30);
    const elapsed = now().getTime() - at.getTime();
    expect(elapsed).toBeGreaterThanOrEqual(25);
    expect(elapsed).toBeLessThan(5_000);

    setNow(null);
    expect(Math.abs(now().getTime() - Date.now())).toBeLessThan(5);
  });

  it("is one clock however many copies of the module are loaded (the built server holds its own)", async () => {
    // @ts-expect-error a query string makes a second, separate instance of the module
    const copy = (await import("./clock?copy")) as typeof import("./clock");
    setNow(new Date("2031-01-01T00:00:00Z"));
    expect(copy.now().toISOString()).toBe("2031-01-01T00:00:00.000Z");
  });
});
