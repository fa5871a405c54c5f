// The one source of "now" for the domain. Tests, the demo and `worker --now` move time.
// The state lives on globalThis under a registered symbol: a test process holds two copies of
// this file (the built server's bundle and the modules the test loads from source), and both
// must read one clock, or a link signed by one is checked against another's time.
type ClockState = { pinned: number | null; offsetMs: number };

const KEY = Symbol.for("aftercare.clock");
/** The process's one clock, made on first use. */
const clock = (): ClockState => ((globalThis as Record<symbol, ClockState | undefined>)[KEY] ??= { pinned: null, offsetMs: 0 });

export function now(): Date {
  const state = clock();
  return new Date(state.pinned ?? Date.now() + state.offsetMs);
}

/** Pins the clock at an instant where time stands still, or releases it to real time with null. */
export function setNow(at: Date | null): void {
  const state = clock();
  state.pinned = at ? at.getTime() : null;
  state.offsetMs = 0;
}

/** Sets the clock to `at` and lets it run on from there (a worker that loops must see time pass). */
export function startClockAt(at: Date): void {
  const state = clock();
  state.pinned = null;
  state.offsetMs = at.getTime() - Date.now();
}
