// A shop's referral program, kept under `referrals` in Shop.settings (JSON) and always read
// through parseReferralSettings(), which fills in the defaults and drops what is out of bounds.
// Off until the merchant launches it; pausing stops new codes and new rewards, and the codes
// already in Shopify keep working for friends.
import db from "~/db.server";
import { formatMoney } from "~/format";
import { inRange } from "~/modules/messaging/settings";
import { readShopSettings, updateSettingsSection } from "~/modules/shops/settings";
import {
  readReferralSettingsForm,
  REFERRAL_BOUNDS as B,
  REFERRAL_DEFAULTS,
  referralSettingsForm,
  type AdvocateReward,
  type ReferralRules,
  type ReferralSettingsForm,
} from "./settings-form";

export { REFERRAL_DEFAULTS, type AdvocateReward };

export type ReferralStatus = "off" | "live" | "paused";

export type ReferralSettings = ReferralRules & { status: ReferralStatus };

const whole = (value: unknown, bounds: { min: number; max: number }, fallback: number) =>
  Number.isInteger(value) && inRange(value, bounds.min, bounds.max) ? (value as number) : fallback;

function parseAdvocateReward(value: unknown): AdvocateReward {
  const r = (value && typeof value === "object" ? value : {}) as Record<string, unknown>;
  const bounds = r.kind === "points" ? B.points : B.amount;
  if ((r.kind === "points" || r.kind === "amount_off" || r.kind === "store_credit") && Number.isInteger(r.value) && inRange(r.value, bounds.min, bounds.max)) {
    return { kind: r.kind, value: r.value as number };
  }
  return REFERRAL_DEFAULTS.advocateReward;
}

export function parseReferralSettings(settingsJson: string | null | undefined): ReferralSettings {
  const stored = (readShopSettings(settingsJson).referrals ?? {}) as Record<string, unknown>;
  const d = REFERRAL_DEFAULTS;
  return {
    status: stored.status === "live" || stored.status === "paused" ? stored.status : "off",
    friendPercent: whole(stored.friendPercent, B.friendPercent, d.friendPercent),
    advocateReward: parseAdvocateReward(stored.advocateReward),
    returnWindowDays: whole(stored.returnWindowDays, B.returnWindowDays, d.returnWindowDays),
    weeklyAddressLimit: whole(stored.weeklyAddressLimit, B.weeklyAddressLimit, d.weeklyAddressLimit),
    burstLimit: whole(stored.burstLimit, B.burstLimit, d.burstLimit),
    burstHours: whole(stored.burstHours, B.burstHours, d.burstHours),
  };
}

/** Launches the program (with its defaults, or what was set before a pause) or pauses it. */
export function setReferralStatus(shop: string, status: Exclude<ReferralStatus, "off">): Promise<ReferralSettings> {
  return updateSettingsSection(shop, "referrals", parseReferralSettings, (current) => ({ ...current, status }));
}

/** What the settings page shows: the form filled from the saved settings, in the shop's currency. */
export async function referralSettingsPage(shop: string): Promise<{ form: ReferralSettingsForm; currency: string }> {
  const row = await db.shop.findUnique({ where: { shop }, select: { settings: true, currency: true } });
  const currency = row?.currency ?? "USD";
  return { form: referralSettingsForm(parseReferralSettings(row?.settings), currency), currency };
}

/**
 * Saves the rewards and rules from a submitted settings form; the program's status is kept.
 * Codes already in Shopify keep the friend's discount they were made with.
 */
export async function saveReferralSettingsForm(
  shop: string,
  input: object,
): Promise<{ saved: true; form: ReferralSettingsForm } | { saved: false; errors: Record<string, string> }> {
  const row = await db.shop.findUnique({ where: { shop }, select: { currency: true } });
  const currency = row?.currency ?? "USD";
  const read = readReferralSettingsForm(input, currency);
  if ("errors" in read) return { saved: false, errors: read.errors };
  const settings = await updateSettingsSection(shop, "referrals", parseReferralSettings, (current) => ({ ...current, ...read.rules }));
  return { saved: true, form: referralSettingsForm(settings, currency) };
}

/** "500 points", "$5.00 off", "$5.00 store credit": the advocate's reward as a shopper reads it. */
export function advocateRewardName(reward: AdvocateReward, currency: string): string {
  switch (reward.kind) {
    case "points":
      return `${reward.value} points`;
    case "amount_off":
      return `${formatMoney(reward.value, currency)} off`;
    case "store_credit":
      return `${formatMoney(reward.value, currency)} store credit`;
  }
}

/** "10% off a first order": the friend's reward as a shopper reads it. */
export const friendRewardName = (settings: Pick<ReferralSettings, "friendPercent">) => `${settings.friendPercent}% off a first order`;
