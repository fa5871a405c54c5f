// Time for emails: lengths of time, and when an email may go out (inside the shop's send
// window, in the shop's own time zone).

export const HOUR = 3_600_000;
export const DAY = 24 * HOUR;

type LocalTime = { year: number; month: number; day: number; hour: number; minute: number };

const formatters = new Map<string, Intl.DateTimeFormat>();
export function localTime(at: Date, zone: string): LocalTime {
  let format = formatters.get(zone);
  if (!format) {
    format = new Intl.DateTimeFormat("en-US", {
      timeZone: zone,
      hourCycle: "h23",
      year: "numeric",
      month: "numeric",
      day: "numeric",
      hour: "numeric",
      minute: "numeric",
    });
    formatters.set(zone, format);
  }
  const parts = Object.fromEntries(format.formatToParts(at).map((p) => [p.type, Number(p.value)]));
  return { year: parts.year!, month: parts.month!, day: parts.day!, hour: parts.hour!, minute: parts.minute! };
}

/** The instant that reads `hour`:00 on the given local date in `zone` (DST-aware). */
export function instantAt(zone: string, year: number, month: number, day: number, hour: number): Date {
  const wanted = Date.UTC(year, month - 1, day, hour);
  let guess = wanted;
  // Two passes settle the zone offset, also on the days the offset changes.
  for (let pass = 0; pass < 2; pass++) {
    const seen = localTime(new Date(guess), zone);
    guess += wanted - Date.UTC(seen.year, seen.month - 1, seen.day, seen.hour, seen.minute);
  }
  return new Date(guess);
}

/** `at` itself when it falls inside [from, to) local hours, else the start of the next window. */
export function nextSendTime(at: Date, zone: string, window: { from: number; to: number }): Date {
  const local = localTime(at, zone);
  if (local.hour >= window.from && local.hour < window.to) return at;
  // Before the window opens: today's opening. After it closes: tomorrow's.
  const dayShift = local.hour < window.from ? 0 : 1;
  const base = new Date(Date.UTC(local.year, local.month - 1, local.day + dayShift));
  return instantAt(zone, base.getUTCFullYear(), base.getUTCMonth() + 1, base.getUTCDate(), window.from);
}

export function isValidTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat("en", { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}
