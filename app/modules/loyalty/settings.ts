// A shop's loyalty program, kept under `loyalty` in Shop.settings (JSON) and always read
// through parseLoyaltySettings(), which fills in the defaults and drops what is out of bounds.
// The program is off until the merchant launches it; pausing stops earning and keeps balances.
import { formatMoney } from "~/format";
import { inRange } from "~/modules/messaging/settings";
import { readShopSettings, updateSettingsSection } from "~/modules/shops/settings";

export type ProgramStatus = "off" | "live" | "paused";

/** What a reward in the catalogue gives: an amount off (minor units), a percent off, or store credit (minor units). */
export type RewardOption = { id: string; points: number } & ({ kind: "amount_off" | "store_credit"; value: number } | { kind: "percent_off"; value: number });

export type LoyaltySettings = {
  status: ProgramStatus;
  /** Points for each 1.00 of the shop's currency (each 1 of a currency without decimals), rounded down. */
  pointsPerUnit: number;
  /** Whether shipping and tax earn points too (the subtotal after discounts always does). */
  includeShipping: boolean;
  includeTax: boolean;
  /** An order's points are approved this many days after its delivery ... */
  approveAfterDeliveryDays: number;
  /** ... or, when no delivery event comes, this many days after it was fulfilled. */
  approveAfterFulfillmentDays: number;
  rewards: RewardOption[];
};

export const DEFAULT_REWARDS: RewardOption[] = [{ id: "amount-off-500", points: 500, kind: "amount_off", value: 500 }];

const BOUNDS = { pointsPerUnit: [1, 100], approveDays: [0, 365], points: [1, 1_000_000], percent: [1, 100], amount: [1, 100_000_000] } as const;
const REWARD_ID = /^[a-z0-9-]{1,40}$/;

function parseReward(value: unknown): RewardOption | null {
  if (!value || typeof value !== "object") return null;
  const r = value as Record<string, unknown>;
  if (typeof r.id !== "string" || !REWARD_ID.test(r.id) || !inRange(r.points, ...BOUNDS.points) || !Number.isInteger(r.points)) return null;
  if (r.kind === "percent_off" && Number.isInteger(r.value) && inRange(r.value, ...BOUNDS.percent))
    return { id: r.id, points: r.points, kind: "percent_off", value: r.value };
  if ((r.kind === "amount_off" || r.kind === "store_credit") && Number.isInteger(r.value) && inRange(r.value, ...BOUNDS.amount)) {
    return { id: r.id, points: r.points, kind: r.kind, value: r.value };
  }
  return null;
}

export function parseLoyaltySettings(settingsJson: string | null | undefined): LoyaltySettings {
  const stored = (readShopSettings(settingsJson).loyalty ?? {}) as Record<string, unknown>;
  const days = (value: unknown, fallback: number) => (Number.isInteger(value) && inRange(value, ...BOUNDS.approveDays) ? value : fallback);
  const rewards = Array.isArray(stored.rewards) ? stored.rewards.map(parseReward).filter((r): r is RewardOption => r !== null) : DEFAULT_REWARDS;
  return {
    status: stored.status === "live" || stored.status === "paused" ? stored.status : "off",
    pointsPerUnit: Number.isInteger(stored.pointsPerUnit) && inRange(stored.pointsPerUnit, ...BOUNDS.pointsPerUnit) ? stored.pointsPerUnit : 1,
    includeShipping: stored.includeShipping === true,
    includeTax: stored.includeTax === true,
    approveAfterDeliveryDays: days(stored.approveAfterDeliveryDays, 14),
    approveAfterFulfillmentDays: days(stored.approveAfterFulfillmentDays, 21),
    rewards: rewards.filter((reward, i) => rewards.findIndex((other) => other.id === reward.id) === i),
  };
}

/** Launches the program (with its defaults, or what was set before a pause) or pauses it. */
export function setProgramStatus(shop: string, status: Exclude<ProgramStatus, "off">): Promise<LoyaltySettings> {
  return updateSettingsSection(shop, "loyalty", parseLoyaltySettings, (current) => ({ ...current, status }));
}

/** "$5.00 off", "10% off", "$5.00 store credit": a reward as the shopper reads it. */
export function rewardName(option: Pick<RewardOption, "kind" | "value">, currency: string): string {
  switch (option.kind) {
    case "percent_off":
      return `${option.value}% off`;
    case "amount_off":
      return `${formatMoney(option.value, currency)} off`;
    case "store_credit":
      return `${formatMoney(option.value, currency)} store credit`;
  }
}
