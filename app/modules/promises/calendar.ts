// The shop's working calendar, in its own time zone: which days it dispatches on (weekdays it
// works, less the public holidays the merchant entered), and the deadlines a delivery promise
// makes of them. A deadline is the end of a day: the first instant of the next local day.
import { DAY } from "~/modules/messaging/timing";
import { dayOf, isoDate, startOfDay, type DayNumber } from "~/modules/weeks";

export type WorkCalendar = {
  zone: string;
  /** ISO weekdays the shop dispatches on: 1 = Monday … 7 = Sunday. */
  workingDays: readonly number[];
  /** Local dates ("2026-12-25") it does not, whatever the weekday. */
  holidays: readonly string[];
};

/** No calendar looks further than this for a working day (one with none falls back to every day). */
const SEARCH_LIMIT = 800;

const isoWeekday = (day: DayNumber) => ((new Date(day * DAY).getUTCDay() + 6) % 7) + 1;

/** The end of a local day: the first instant of the next. */
export const endOfDay = (day: DayNumber, zone: string) => startOfDay(day + 1, zone);

function workingDayTest(calendar: WorkCalendar): (day: DayNumber) => boolean {
  const holidays = new Set(calendar.holidays);
  const works = (day: DayNumber) => calendar.workingDays.includes(isoWeekday(day)) && !holidays.has(isoDate(day));
  // A calendar that never works (every weekday off, or a year of holidays) would promise nothing: count every day.
  for (let day = 0; day < 14; day++) if (works(20_000 + day)) return works;
  return () => true;
}

/**
 * The end of the `count`th working day after `from`'s day (that day itself not counted; with
 * 0, the end of `from`'s day if it is a working day, else of the next one). "Dispatched within
 * 2 working days": paid Monday, by the end of Wednesday; paid Saturday, by the end of Tuesday.
 */
export function afterWorkingDays(from: Date, count: number, calendar: WorkCalendar): Date {
  const works = workingDayTest(calendar);
  let day = dayOf(from, calendar.zone);
  if (count === 0) {
    for (let i = 0; i < SEARCH_LIMIT && !works(day); i++) day++;
    return endOfDay(day, calendar.zone);
  }
  for (let counted = 0, i = 0; counted < count && i < SEARCH_LIMIT; i++) {
    day++;
    if (works(day)) counted++;
  }
  return endOfDay(day, calendar.zone);
}

/**
 * When a deadline starts to be at risk: the start of the `lead`th working day counted back
 * from the deadline's own day (that day is the first). No lead: only at the deadline itself.
 */
export function riskFrom(deadline: Date, lead: number, calendar: WorkCalendar): Date {
  if (lead === 0) return deadline;
  const works = workingDayTest(calendar);
  let day = dayOf(new Date(deadline.getTime() - 1), calendar.zone);
  for (let counted = works(day) ? 1 : 0, i = 0; counted < lead && i < SEARCH_LIMIT; i++) {
    day--;
    if (works(day)) counted++;
  }
  return startOfDay(day, calendar.zone);
}

/** The end of the local day `days` calendar days after `from`'s day (carriers count every day). */
export function afterDays(from: Date, days: number, zone: string): Date {
  return endOfDay(dayOf(from, zone) + days, zone);
}

/** `days` calendar days before a deadline, counting its own day: when a delivery starts to be at risk. */
export function daysBefore(deadline: Date, days: number, zone: string): Date {
  if (days === 0) return deadline;
  return startOfDay(dayOf(new Date(deadline.getTime() - 1), zone) - (days - 1), zone);
}
