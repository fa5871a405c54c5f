// Local days and weeks in a shop's time zone, for deadlines and for figures by week (Monday to
// Sunday). A day is a whole number of days since 1970-01-01, so that days add as numbers.
import { DAY, instantAt, localTime } from "~/modules/messaging/timing";

export type DayNumber = number;

export const dayOf = (at: Date, zone: string): DayNumber => {
  const local = localTime(at, zone);
  return Date.UTC(local.year, local.month - 1, local.day) / DAY;
};

export const isoDate = (day: DayNumber) => new Date(day * DAY).toISOString().slice(0, 10);

/** The first instant of a local day. */
export function startOfDay(day: DayNumber, zone: string): Date {
  const date = new Date(day * DAY);
  return instantAt(zone, date.getUTCFullYear(), date.getUTCMonth() + 1, date.getUTCDate(), 0);
}

/**
 * The last `count` weeks up to `now`'s, in the shop's zone: when the first starts, each week's
 * Monday ("2026-11-02"), and which of them an instant falls in (-1 outside).
 */
export function lastWeeks(zone: string, now: Date, count: number) {
  const today = dayOf(now, zone);
  const firstDay = today - ((new Date(today * DAY).getUTCDay() + 6) % 7) - (count - 1) * 7;
  return {
    from: startOfDay(firstDay, zone),
    mondays: Array.from({ length: count }, (_, i) => isoDate(firstDay + i * 7)),
    indexOf(at: Date): number {
      const index = Math.floor((dayOf(at, zone) - firstDay) / 7);
      return index >= 0 && index < count ? index : -1;
    },
  };
}
