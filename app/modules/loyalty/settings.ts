// A shop's loyalty program, kept under `loyalty` in Shop.settings (JSON) and always read
// through parseLoyaltySettings(), which fills in the defaults and drops what is out of bounds.
// The program is off until the merchant launches it; pausing stops earning and keeps balances.
import db from "~/db.server";
import { formatMoney } from "~/format";
import { inRange } from "~/modules/messaging/settings";
import { readShopSettings, updateSettingsSection } from "~/modules/shops/settings";
import {
  DEFAULT_BONUSES,
  DEFAULT_EXPIRY,
  DEFAULT_NEXT_ORDER,
  DEFAULT_TIERS,
  LOYALTY_BOUNDS as B,
  loyaltySettingsForm,
  loyaltySettingsFormFrom,
  readLoyaltySettingsForm,
  REWARD_ID,
  type BonusSettings,
  type EarningSettings,
  type ExpirySettings,
  type NextOrderSettings,
  type LoyaltySettingsErrors,
  type LoyaltySettingsForm,
  type RewardOption,
  type Tier,
  type TierSettings,
} from "./settings-form";

export type { RewardOption, Tier, TierSettings };

export type ProgramStatus = "off" | "live" | "paused";

export type LoyaltySettings = EarningSettings & {
  status: ProgramStatus;
};

export const DEFAULT_REWARDS: RewardOption[] = [{ id: "amount-off-500", points: 500, kind: "amount_off", value: 500 }];

function parseBonuses(value: unknown): BonusSettings {
  const stored = (value && typeof value === "object" ? value : {}) as Record<string, unknown>;
  const points = (v: unknown, fallback: number) => (Number.isInteger(v) && inRange(v, B.bonus.min, B.bonus.max) ? (v as number) : fallback);
  return { signup: points(stored.signup, DEFAULT_BONUSES.signup), birthday: points(stored.birthday, DEFAULT_BONUSES.birthday) };
}

function parseExpiry(value: unknown): ExpirySettings {
  const stored = (value && typeof value === "object" ? value : {}) as Record<string, unknown>;
  const months =
    Number.isInteger(stored.months) && inRange(stored.months, B.expiryMonths.min, B.expiryMonths.max) ? (stored.months as number) : DEFAULT_EXPIRY.months;
  return { enabled: stored.enabled === true, months };
}

function parseNextOrder(value: unknown): NextOrderSettings {
  const stored = (value && typeof value === "object" ? value : {}) as Record<string, unknown>;
  const valueType = stored.valueType === "fixed_amount" ? "fixed_amount" : "percentage";
  const bounds = valueType === "percentage" ? B.percent : B.amount;
  const d = DEFAULT_NEXT_ORDER;
  if (!Number.isInteger(stored.value) || !inRange(stored.value, bounds.min, bounds.max)) return d;
  const days =
    Number.isInteger(stored.expiresInDays) && inRange(stored.expiresInDays, B.offerDays.min, B.offerDays.max)
      ? (stored.expiresInDays as number)
      : d.expiresInDays;
  return {
    enabled: stored.enabled === true,
    valueType,
    value: stored.value as number,
    expiresInDays: days,
    flow: stored.flow === "goes_with" ? "goes_with" : "thank_you",
  };
}

function parseTiers(value: unknown): TierSettings {
  if (!value || typeof value !== "object") return DEFAULT_TIERS;
  const stored = value as Record<string, unknown>;
  const list = (Array.isArray(stored.list) ? stored.list : []).flatMap((entry): Tier[] => {
    const t = (entry && typeof entry === "object" ? entry : {}) as Record<string, unknown>;
    const valid =
      typeof t.id === "string" &&
      REWARD_ID.test(t.id) &&
      typeof t.name === "string" &&
      t.name.length > 0 &&
      Number.isInteger(t.threshold) &&
      inRange(t.threshold, 0, B.amount.max) &&
      Number.isInteger(t.multiplier) &&
      inRange(t.multiplier, B.multiplier.min, B.multiplier.max);
    return valid
      ? [
          {
            id: t.id as string,
            name: t.name as string,
            threshold: t.threshold as number,
            multiplier: t.multiplier as number,
            perks: typeof t.perks === "string" ? t.perks : "",
          },
        ]
      : [];
  });
  // A ladder starts at zero and rises; anything else is read as the default ladder.
  const rising = list.length > 0 && list[0]!.threshold === 0 && list.every((t, i) => i === 0 || t.threshold > list[i - 1]!.threshold);
  return { enabled: stored.enabled === true, list: rising ? list : DEFAULT_TIERS.list };
}

function parseReward(value: unknown): RewardOption | null {
  if (!value || typeof value !== "object") return null;
  const r = value as Record<string, unknown>;
  if (typeof r.id !== "string" || !REWARD_ID.test(r.id) || !inRange(r.points, B.points.min, B.points.max) || !Number.isInteger(r.points)) return null;
  if (r.kind === "free_shipping") return { id: r.id, points: r.points, kind: "free_shipping", value: 0 };
  if (r.kind === "percent_off" && Number.isInteger(r.value) && inRange(r.value, B.percent.min, B.percent.max))
    return { id: r.id, points: r.points, kind: "percent_off", value: r.value };
  if ((r.kind === "amount_off" || r.kind === "store_credit") && Number.isInteger(r.value) && inRange(r.value, B.amount.min, B.amount.max)) {
    return { id: r.id, points: r.points, kind: r.kind, value: r.value };
  }
  return null;
}

export function parseLoyaltySettings(settingsJson: string | null | undefined): LoyaltySettings {
  const stored = (readShopSettings(settingsJson).loyalty ?? {}) as Record<string, unknown>;
  const days = (value: unknown, fallback: number) => (Number.isInteger(value) && inRange(value, B.approveDays.min, B.approveDays.max) ? value : fallback);
  const rewards = Array.isArray(stored.rewards) ? stored.rewards.map(parseReward).filter((r): r is RewardOption => r !== null) : DEFAULT_REWARDS;
  return {
    status: stored.status === "live" || stored.status === "paused" ? stored.status : "off",
    pointsPerUnit: Number.isInteger(stored.pointsPerUnit) && inRange(stored.pointsPerUnit, B.pointsPerUnit.min, B.pointsPerUnit.max) ? stored.pointsPerUnit : 1,
    includeShipping: stored.includeShipping === true,
    includeTax: stored.includeTax === true,
    approveAfterDeliveryDays: days(stored.approveAfterDeliveryDays, 14),
    approveAfterFulfillmentDays: days(stored.approveAfterFulfillmentDays, 21),
    rewards: rewards.filter((reward, i) => rewards.findIndex((other) => other.id === reward.id) === i),
    tiers: parseTiers(stored.tiers),
    bonuses: parseBonuses(stored.bonuses),
    expiry: parseExpiry(stored.expiry),
    nextOrder: parseNextOrder(stored.nextOrder),
  };
}

/** Launches the program (with its defaults, or what was set before a pause) or pauses it. */
export function setProgramStatus(shop: string, status: Exclude<ProgramStatus, "off">): Promise<LoyaltySettings> {
  return updateSettingsSection(shop, "loyalty", parseLoyaltySettings, (current) => ({ ...current, status }));
}

/** What the settings page shows: the form filled from the saved settings, in the shop's currency. */
export async function loyaltySettingsPage(shop: string): Promise<{ form: LoyaltySettingsForm; currency: string }> {
  const row = await db.shop.findUnique({ where: { shop }, select: { settings: true, currency: true } });
  const currency = row?.currency ?? "USD";
  return { form: loyaltySettingsForm(parseLoyaltySettings(row?.settings), currency), currency };
}

/** Saves the earning rules and the catalogue from a submitted settings form; the program's status is kept. */
export async function saveLoyaltySettingsForm(
  shop: string,
  input: object,
): Promise<{ saved: true; form: LoyaltySettingsForm } | { saved: false; errors: LoyaltySettingsErrors }> {
  const row = await db.shop.findUnique({ where: { shop }, select: { currency: true } });
  const currency = row?.currency ?? "USD";
  const read = readLoyaltySettingsForm(loyaltySettingsFormFrom(input), currency);
  if ("errors" in read) return { saved: false, errors: read.errors };
  const settings = await updateSettingsSection(shop, "loyalty", parseLoyaltySettings, (current) => ({ ...current, ...read.settings }));
  return { saved: true, form: loyaltySettingsForm(settings, currency) };
}

/** "$5.00 off", "10% off", "Free shipping", "$5.00 store credit": a reward as the shopper reads it. */
export function rewardName(option: Pick<RewardOption, "kind" | "value">, currency: string): string {
  switch (option.kind) {
    case "free_shipping":
      return "Free shipping";
    case "percent_off":
      return `${option.value}% off`;
    case "amount_off":
      return `${formatMoney(option.value, currency)} off`;
    case "store_credit":
      return `${formatMoney(option.value, currency)} store credit`;
  }
}
