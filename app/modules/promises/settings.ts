// A shop's delivery promise, kept under `promises` in Shop.settings (JSON) and always read
// through parsePromiseSettings(), which fills in the defaults and drops what is out of bounds.
// Live from install: a shop that never opened the Promises page has the defaults.
import db, { type Tx } from "~/db.server";
import { inRange } from "~/modules/messaging/settings";
import { readShopSettings, updateSettingsSection } from "~/modules/shops/settings";
import type { WorkCalendar } from "./calendar";
import {
  GOODWILL_KINDS,
  isCalendarDate,
  PROMISE_BOUNDS as B,
  PROMISE_DEFAULTS,
  promiseSettingsForm,
  readPromiseSettingsForm,
  type Goodwill,
  type PromiseRules,
  type PromiseSettingsForm,
} from "./settings-form";

export { PROMISE_DEFAULTS, type PromiseRules };

const whole = (value: unknown, bounds: { min: number; max: number }, fallback: number) =>
  Number.isInteger(value) && inRange(value, bounds.min, bounds.max) ? (value as number) : fallback;

function parseGoodwill(value: unknown): Goodwill {
  const g = (value && typeof value === "object" ? value : {}) as Record<string, unknown>;
  const kind = GOODWILL_KINDS.find((k) => k.kind === g.kind)?.kind;
  if (!kind || kind === "none") return { kind: "none" };
  const bounds = kind === "points" ? B.points : kind === "percent_off" ? B.percent : B.amount;
  return Number.isInteger(g.value) && inRange(g.value, bounds.min, bounds.max) ? { kind, value: g.value as number } : { kind: "none" };
}

export function parsePromiseSettings(settingsJson: string | null | undefined): PromiseRules {
  const stored = (readShopSettings(settingsJson).promises ?? {}) as Record<string, unknown>;
  const d = PROMISE_DEFAULTS;
  const transit = (stored.transit && typeof stored.transit === "object" ? stored.transit : {}) as Record<string, unknown>;
  const days = Array.isArray(stored.workingDays) ? stored.workingDays.filter((day) => Number.isInteger(day) && day >= 1 && day <= 7) : [];
  const holidays = Array.isArray(stored.holidays) ? stored.holidays.filter((h): h is string => typeof h === "string" && isCalendarDate(h)) : [];
  const countries = Array.isArray(transit.countries)
    ? transit.countries.filter(
        (c): c is { country: string; days: number } =>
          Boolean(c) && /^[A-Z]{2}$/.test(String(c.country)) && Number.isInteger(c.days) && inRange(c.days, B.transitDays.min, B.transitDays.max),
      )
    : [];
  return {
    dispatchDays: whole(stored.dispatchDays, B.dispatchDays, d.dispatchDays),
    workingDays: days.length > 0 ? [...new Set(days as number[])].sort() : d.workingDays,
    holidays: holidays.slice(0, B.holidays),
    transit: {
      home: whole(transit.home, B.transitDays, d.transit.home),
      abroad: whole(transit.abroad, B.transitDays, d.transit.abroad),
      countries: countries.slice(0, B.countries).map((c) => ({ country: c.country, days: c.days })),
    },
    leadDays: whole(stored.leadDays, B.leadDays, d.leadDays),
    apologies: stored.apologies === "ask" ? "ask" : "auto",
    goodwill: parseGoodwill(stored.goodwill),
  };
}

/** What a shop's promises are made of: its rules, time zone, country and currency, and whether it is still installed. */
export type PromiseContext = { rules: PromiseRules; zone: string; country: string | null; currency: string; live: boolean };

export async function contextOf(client: Tx | typeof db, shop: string): Promise<PromiseContext | null> {
  const row = await client.shop.findUnique({ where: { shop }, select: { settings: true, timezone: true, country: true, currency: true, uninstalledAt: true } });
  if (!row) return null;
  return { rules: parsePromiseSettings(row.settings), zone: row.timezone, country: row.country, currency: row.currency, live: !row.uninstalledAt };
}

export const workCalendar = (rules: PromiseRules, zone: string): WorkCalendar => ({ zone, workingDays: rules.workingDays, holidays: rules.holidays });

/** Days in transit to `destination`: its own line, else home (the shop's country; every destination when that is unknown) or abroad. */
export function transitDays(rules: PromiseRules, shopCountry: string | null, destination: string | null): number {
  const listed = rules.transit.countries.find((c) => c.country === destination);
  if (listed) return listed.days;
  return !shopCountry || !destination || destination === shopCountry ? rules.transit.home : rules.transit.abroad;
}

/** What the settings page shows: the form filled from the saved settings. */
export async function promiseSettingsPage(shop: string): Promise<{ form: PromiseSettingsForm; currency: string; country: string | null; timezone: string }> {
  const row = await db.shop.findUnique({ where: { shop }, select: { settings: true, currency: true, country: true, timezone: true } });
  const currency = row?.currency ?? "USD";
  return {
    form: promiseSettingsForm(parsePromiseSettings(row?.settings), currency),
    currency,
    country: row?.country ?? null,
    timezone: row?.timezone ?? "UTC",
  };
}

/** Saves a submitted settings form; orders already paid keep the promise they were made. */
export async function savePromiseSettingsForm(
  shop: string,
  input: object,
): Promise<{ saved: true; form: PromiseSettingsForm } | { saved: false; errors: Record<string, string> }> {
  const row = await db.shop.findUnique({ where: { shop }, select: { currency: true } });
  const currency = row?.currency ?? "USD";
  const read = readPromiseSettingsForm(input, currency);
  if ("errors" in read) return { saved: false, errors: read.errors };
  const settings = await updateSettingsSection(shop, "promises", parsePromiseSettings, () => read.rules);
  return { saved: true, form: promiseSettingsForm(settings, currency) };
}
