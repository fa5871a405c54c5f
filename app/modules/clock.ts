// The one source of "now" for the domain. Tests and the demo move time with setNow().
let fixed: Date | null = null;

export function now(): Date {
  return fixed ? new Date(fixed) : new Date();
}

/** Pins the clock (or releases it with null). Never used by production code paths. */
export function setNow(at: Date | null): void {
  fixed = at ? new Date(at) : null;
}
