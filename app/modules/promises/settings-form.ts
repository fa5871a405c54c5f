// The delivery promise as the merchant states it: dispatch within N working days (their
// working week and public holidays), days in transit at home, abroad and to chosen countries,
// how early an order counts as at risk, whether apologies go by themselves, and the goodwill
// that goes with one. No server imports: the settings page in the browser shows the same
// bounds the server checks.
import { currencyDigits, decimalToMinor, formatMoney, minorToDecimal } from "~/format";

export type Goodwill =
  | { kind: "none" }
  /** Loyalty points, posted at once (while the loyalty program is not off). */
  | { kind: "points"; value: number }
  /** A one-use code: an amount off (minor units) or a percentage. */
  | { kind: "amount_off" | "percent_off"; value: number }
  /** Store credit, minor units. */
  | { kind: "store_credit"; value: number };

export type PromiseRules = {
  dispatchDays: number;
  /** ISO weekdays: 1 = Monday … 7 = Sunday. */
  workingDays: number[];
  /** "2026-12-25", sorted. */
  holidays: string[];
  transit: { home: number; abroad: number; countries: { country: string; days: number }[] };
  /** At risk this many working days before a dispatch deadline (calendar days before a delivery one). */
  leadDays: number;
  /** "auto": the apology goes by itself; "ask": it waits for the merchant. */
  apologies: "auto" | "ask";
  goodwill: Goodwill;
};

export const PROMISE_DEFAULTS: PromiseRules = {
  dispatchDays: 2,
  workingDays: [1, 2, 3, 4, 5],
  holidays: [],
  transit: { home: 5, abroad: 10, countries: [] },
  leadDays: 1,
  apologies: "auto",
  goodwill: { kind: "none" },
};

export const PROMISE_BOUNDS = {
  dispatchDays: { min: 0, max: 30 },
  transitDays: { min: 1, max: 90 },
  leadDays: { min: 0, max: 10 },
  holidays: 100,
  countries: 60,
  points: { min: 1, max: 1_000_000 },
  percent: { min: 1, max: 100 },
  amount: { min: 1, max: 100_000_000 },
} as const;

export const WEEKDAYS = [
  { day: 1, label: "Mon" },
  { day: 2, label: "Tue" },
  { day: 3, label: "Wed" },
  { day: 4, label: "Thu" },
  { day: 5, label: "Fri" },
  { day: 6, label: "Sat" },
  { day: 7, label: "Sun" },
] as const;

export const GOODWILL_KINDS = [
  { kind: "none", label: "Nothing: the apology only" },
  { kind: "points", label: "Loyalty points" },
  { kind: "amount_off", label: "A one-use code for an amount off" },
  { kind: "percent_off", label: "A one-use code for a percentage off" },
  { kind: "store_credit", label: "Store credit" },
] as const;

/** The form's fields, as typed: lists as text, one entry per line; amounts in the shop's currency. */
export type PromiseSettingsForm = {
  dispatchDays: string;
  workingDays: number[];
  holidays: string;
  homeDays: string;
  abroadDays: string;
  countries: string;
  leadDays: string;
  apologies: "auto" | "ask";
  goodwillKind: Goodwill["kind"];
  goodwillValue: string;
};

const goodwillValueText = (goodwill: Goodwill, currency: string) =>
  goodwill.kind === "none"
    ? ""
    : goodwill.kind === "points" || goodwill.kind === "percent_off"
      ? String(goodwill.value)
      : minorToDecimal(goodwill.value, currency);

export function promiseSettingsForm(rules: PromiseRules, currency: string): PromiseSettingsForm {
  return {
    dispatchDays: String(rules.dispatchDays),
    workingDays: [...rules.workingDays],
    holidays: rules.holidays.join("\n"),
    homeDays: String(rules.transit.home),
    abroadDays: String(rules.transit.abroad),
    countries: rules.transit.countries.map((c) => `${c.country} ${c.days}`).join("\n"),
    leadDays: String(rules.leadDays),
    apologies: rules.apologies,
    goodwillKind: rules.goodwill.kind,
    goodwillValue: goodwillValueText(rules.goodwill, currency),
  };
}

/** A real calendar date written as YYYY-MM-DD. */
export function isCalendarDate(value: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const date = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === value;
}

const text = (value: unknown, max = 40) => (typeof value === "string" ? value.slice(0, max) : typeof value === "number" ? String(value) : "");
const wholeNumber = (typed: string) => (/^\s*\d{1,9}\s*$/.test(typed) ? Number(typed) : null);
const lines = (typed: string) =>
  typed
    .split(/[\n,;]+/)
    .map((line) => line.trim())
    .filter(Boolean);

/** The rules a submitted form (anything from anyone) asks for, or what is wrong with it field by field. */
export function readPromiseSettingsForm(input: unknown, currency: string): { rules: PromiseRules } | { errors: Record<string, string> } {
  const fields = input && typeof input === "object" ? (input as Record<string, unknown>) : {};
  const errors: Record<string, string> = {};
  const B = PROMISE_BOUNDS;
  const whole = (field: keyof PromiseSettingsForm, bounds: { min: number; max: number }, unit: string) => {
    const value = wholeNumber(text(fields[field]));
    if (value === null || value < bounds.min || value > bounds.max)
      errors[field] = `Enter a whole number of ${unit} from ${bounds.min} to ${bounds.max.toLocaleString("en")}.`;
    return value ?? 0;
  };

  const days = Array.isArray(fields.workingDays) ? fields.workingDays : [];
  const workingDays = WEEKDAYS.map((w) => w.day).filter((day) => days.includes(day));
  if (workingDays.length === 0 || days.length > 7 || days.some((day) => !WEEKDAYS.some((w) => w.day === day)))
    errors.workingDays = "Choose at least one day you dispatch on.";

  const holidayLines = lines(text(fields.holidays, 4000));
  const badHoliday = holidayLines.find((line) => !isCalendarDate(line));
  if (badHoliday) errors.holidays = `“${badHoliday.slice(0, 20)}” is not a date: write each holiday as YYYY-MM-DD.`;
  else if (holidayLines.length > B.holidays) errors.holidays = `Enter at most ${B.holidays} holidays.`;

  const countries: { country: string; days: number }[] = [];
  const countryLines = lines(text(fields.countries, 4000));
  for (const line of countryLines) {
    const match = /^([A-Za-z]{2})\s*[:=]?\s*(\d{1,3})$/.exec(line);
    const days = match ? Number(match[2]) : NaN;
    if (!match || days < B.transitDays.min || days > B.transitDays.max) {
      errors.countries = `“${line.slice(0, 20)}”: write a two-letter country code and its days in transit (1 to ${B.transitDays.max}), e.g. “CA 7”.`;
      break;
    }
    const country = match[1]!.toUpperCase();
    if (countries.some((c) => c.country === country)) {
      errors.countries = `${country} is listed twice.`;
      break;
    }
    countries.push({ country, days });
  }
  if (countries.length > B.countries) errors.countries = `Enter at most ${B.countries} countries.`;

  const apologies = fields.apologies === "auto" || fields.apologies === "ask" ? fields.apologies : null;
  if (!apologies) errors.apologies = "Choose how apologies go out.";

  const read = readGoodwill(fields.goodwillKind, fields.goodwillValue, currency);
  if ("error" in read) errors[read.field === "kind" ? "goodwillKind" : "goodwillValue"] = read.error;
  const goodwill: Goodwill = "goodwill" in read ? read.goodwill : { kind: "none" };

  const rules: PromiseRules = {
    dispatchDays: whole("dispatchDays", B.dispatchDays, "working days"),
    workingDays,
    holidays: [...new Set(holidayLines)].sort(),
    transit: { home: whole("homeDays", B.transitDays, "days"), abroad: whole("abroadDays", B.transitDays, "days"), countries },
    leadDays: whole("leadDays", B.leadDays, "days"),
    apologies: apologies ?? "auto",
    goodwill,
  };
  return Object.keys(errors).length > 0 ? { errors } : { rules };
}

/** A goodwill gesture as typed (a kind, and points, a percentage, or an amount in the shop's currency), or what is wrong with it. */
export function readGoodwill(kindTyped: unknown, valueTyped: unknown, currency: string): { goodwill: Goodwill } | { error: string; field: "kind" | "value" } {
  const kind = GOODWILL_KINDS.find((k) => k.kind === kindTyped)?.kind;
  if (!kind) return { error: "Choose the goodwill gesture.", field: "kind" };
  if (kind === "none") return { goodwill: { kind } };
  const B = PROMISE_BOUNDS;
  if (kind === "points" || kind === "percent_off") {
    const bounds = kind === "points" ? B.points : B.percent;
    const value = wholeNumber(text(valueTyped));
    return value === null || value < bounds.min || value > bounds.max
      ? {
          error: `Enter a whole number of ${kind === "points" ? "points" : "percent"} from ${bounds.min} to ${bounds.max.toLocaleString("en")}.`,
          field: "value",
        }
      : { goodwill: { kind, value } };
  }
  const minor = decimalToMinor(text(valueTyped), currency);
  return minor === null || minor < B.amount.min || minor > B.amount.max
    ? {
        error: `Enter an amount from ${formatMoney(B.amount.min, currency)} to ${formatMoney(B.amount.max, currency)}${currencyDigits(currency) === 0 ? ", in whole units" : ""}.`,
        field: "value",
      }
    : { goodwill: { kind, value: minor } };
}

/** "200 points", "$5.00 off", "10% off", "$5.00 store credit": a goodwill gesture as a shopper reads it. */
export function goodwillName(goodwill: Goodwill, currency: string): string {
  switch (goodwill.kind) {
    case "none":
      return "";
    case "points":
      return `${goodwill.value.toLocaleString("en")} points`;
    case "percent_off":
      return `${goodwill.value}% off your next order`;
    case "amount_off":
      return `${formatMoney(goodwill.value, currency)} off your next order`;
    case "store_credit":
      return `${formatMoney(goodwill.value, currency)} store credit`;
  }
}
