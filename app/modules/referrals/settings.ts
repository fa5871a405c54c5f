// A shop's referral program, kept under `referrals` in Shop.settings (JSON) and always read
// through parseReferralSettings(), which fills in the defaults and drops what is out of bounds.
// Off until the merchant launches it; pausing stops new codes and new rewards, and the codes
// already in Shopify keep working for friends.
import { formatMoney } from "~/format";
import { inRange } from "~/modules/messaging/settings";
import { readShopSettings, updateSettingsSection } from "~/modules/shops/settings";

export type ReferralStatus = "off" | "live" | "paused";

/** What the advocate gets for a friend's order that stood: points, an amount off (minor units), or store credit (minor units). */
export type AdvocateReward = { kind: "points" | "amount_off" | "store_credit"; value: number };

export type ReferralSettings = {
  status: ReferralStatus;
  /** The friend's discount on a first order, in percent. */
  friendPercent: number;
  advocateReward: AdvocateReward;
  /** The advocate is rewarded this many days after the friend's order was delivered (a week more when no delivery event comes). */
  returnWindowDays: number;
  /** More referrals than this shipping to one address in a week are held for the merchant. */
  weeklyAddressLimit: number;
  /** A code used by more than this many customers within `burstHours` is held for the merchant. */
  burstLimit: number;
  burstHours: number;
};

export const REFERRAL_DEFAULTS: Omit<ReferralSettings, "status"> = {
  friendPercent: 10,
  advocateReward: { kind: "points", value: 500 },
  returnWindowDays: 30,
  weeklyAddressLimit: 10,
  burstLimit: 5,
  burstHours: 24,
};

const whole = (value: unknown, min: number, max: number, fallback: number) =>
  Number.isInteger(value) && inRange(value, min, max) ? (value as number) : fallback;

function parseAdvocateReward(value: unknown): AdvocateReward {
  const r = (value && typeof value === "object" ? value : {}) as Record<string, unknown>;
  if ((r.kind === "points" || r.kind === "amount_off" || r.kind === "store_credit") && Number.isInteger(r.value) && inRange(r.value, 1, 100_000_000)) {
    return { kind: r.kind, value: r.value as number };
  }
  return REFERRAL_DEFAULTS.advocateReward;
}

export function parseReferralSettings(settingsJson: string | null | undefined): ReferralSettings {
  const stored = (readShopSettings(settingsJson).referrals ?? {}) as Record<string, unknown>;
  const d = REFERRAL_DEFAULTS;
  return {
    status: stored.status === "live" || stored.status === "paused" ? stored.status : "off",
    friendPercent: whole(stored.friendPercent, 1, 100, d.friendPercent),
    advocateReward: parseAdvocateReward(stored.advocateReward),
    returnWindowDays: whole(stored.returnWindowDays, 0, 365, d.returnWindowDays),
    weeklyAddressLimit: whole(stored.weeklyAddressLimit, 1, 1000, d.weeklyAddressLimit),
    burstLimit: whole(stored.burstLimit, 1, 1000, d.burstLimit),
    burstHours: whole(stored.burstHours, 1, 720, d.burstHours),
  };
}

/** Launches the program (with its defaults, or what was set before a pause) or pauses it. */
export function setReferralStatus(shop: string, status: Exclude<ReferralStatus, "off">): Promise<ReferralSettings> {
  return updateSettingsSection(shop, "referrals", parseReferralSettings, (current) => ({ ...current, status }));
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
