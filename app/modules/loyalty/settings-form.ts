// The loyalty program's settings as the merchant edits them: how customers earn, when points
// are approved, and the rewards catalogue. No server imports: the settings page in the browser
// shows the same choices and bounds the server checks. Stored and parsed by settings.ts.
import { currencyDigits, decimalToMinor, formatMoney, minorToDecimal } from "~/format";

export type RewardKind = "amount_off" | "percent_off" | "free_shipping" | "store_credit";
/** A reward in the catalogue: an amount off or store credit (minor units), a percent off, or free shipping (value 0). */
export type RewardOption = { id: string; points: number; kind: RewardKind; value: number };

export const REWARD_KINDS: { kind: RewardKind; label: string }[] = [
  { kind: "amount_off", label: "Amount off an order" },
  { kind: "percent_off", label: "Percentage off an order" },
  { kind: "free_shipping", label: "Free shipping" },
  { kind: "store_credit", label: "Store credit" },
];

export const LOYALTY_BOUNDS = {
  pointsPerUnit: { min: 1, max: 100 },
  approveDays: { min: 0, max: 365 },
  points: { min: 1, max: 1_000_000 },
  percent: { min: 1, max: 100 },
  amount: { min: 1, max: 100_000_000 },
  rewards: { min: 1, max: 12 },
  tiers: { min: 1, max: 6 },
  bonus: { min: 0, max: 100_000 },
  expiryMonths: { min: 1, max: 60 },
  offerDays: { min: 7, max: 365 },
  multiplier: { min: 100, max: 500 },
  tierName: 40,
  perks: 200,
} as const;

/** A tier, reached by spending `threshold` (minor units) in the last 12 months: its earning is multiplied by `multiplier` percent. */
export type Tier = { id: string; name: string; threshold: number; multiplier: number; perks: string };
export type TierSettings = { enabled: boolean; list: Tier[] };

/** Off until the merchant turns tiers on; the ladder they start from. */
export const DEFAULT_TIERS: TierSettings = {
  enabled: false,
  list: [
    { id: "member", name: "Member", threshold: 0, multiplier: 100, perks: "" },
    { id: "silver", name: "Silver", threshold: 50_000, multiplier: 125, perks: "" },
    { id: "gold", name: "Gold", threshold: 100_000, multiplier: 150, perks: "" },
  ],
};

/** Points given at once (0: none) for an account created and on the birthday a member gave. */
export type BonusSettings = { signup: number; birthday: number };
export const DEFAULT_BONUSES: BonusSettings = { signup: 100, birthday: 100 };

/** Points expire after `months` without activity (off until the merchant turns it on); members are warned 14 days before. */
export type ExpirySettings = { enabled: boolean; months: number };
export const DEFAULT_EXPIRY: ExpirySettings = { enabled: false, months: 12 };

/** A one-use code for the customer's next order, created at payment and placed in the order's thank-you or goes-well-with email. Off by default. */
export type NextOrderSettings = {
  enabled: boolean;
  valueType: "percentage" | "fixed_amount";
  value: number;
  expiresInDays: number;
  flow: "thank_you" | "goes_with";
};
export const DEFAULT_NEXT_ORDER: NextOrderSettings = { enabled: false, valueType: "percentage", value: 10, expiresInDays: 30, flow: "thank_you" };
export const NEXT_ORDER_FLOWS = [
  { flow: "thank_you", label: "The thank-you email" },
  { flow: "goes_with", label: "The goes-well-with email" },
] as const;

/** The part of the settings this form edits. */
export type EarningSettings = {
  pointsPerUnit: number;
  includeShipping: boolean;
  includeTax: boolean;
  approveAfterDeliveryDays: number;
  approveAfterFulfillmentDays: number;
  rewards: RewardOption[];
  tiers: TierSettings;
  bonuses: BonusSettings;
  expiry: ExpirySettings;
  nextOrder: NextOrderSettings;
};

/** The form's fields, as typed (amounts in the shop's currency, not minor units). */
export type LoyaltySettingsForm = {
  pointsPerUnit: string;
  includeShipping: boolean;
  includeTax: boolean;
  approveAfterDeliveryDays: string;
  approveAfterFulfillmentDays: string;
  rewards: { id: string; kind: RewardKind; points: string; value: string }[];
  signupBonus: string;
  birthdayBonus: string;
  expiryEnabled: boolean;
  expiryMonths: string;
  nextOrderEnabled: boolean;
  nextOrderType: NextOrderSettings["valueType"];
  /** A percentage, or an amount in the shop's currency, as typed. */
  nextOrderValue: string;
  nextOrderDays: string;
  nextOrderFlow: NextOrderSettings["flow"];
  tiersEnabled: boolean;
  /** Spend as typed in the shop's currency; the multiplier as typed ("1.25"). */
  tiers: { id: string; name: string; threshold: string; multiplier: string; perks: string }[];
};
/** Errors by field: "pointsPerUnit", "rewards", "rewards.2.points", ... */
export type LoyaltySettingsErrors = Record<string, string>;

export function loyaltySettingsForm(settings: EarningSettings, currency: string): LoyaltySettingsForm {
  return {
    pointsPerUnit: String(settings.pointsPerUnit),
    includeShipping: settings.includeShipping,
    includeTax: settings.includeTax,
    approveAfterDeliveryDays: String(settings.approveAfterDeliveryDays),
    approveAfterFulfillmentDays: String(settings.approveAfterFulfillmentDays),
    rewards: settings.rewards.map((r) => ({
      id: r.id,
      kind: r.kind,
      points: String(r.points),
      value: r.kind === "percent_off" ? String(r.value) : r.kind === "free_shipping" ? "" : minorToDecimal(r.value, currency),
    })),
    signupBonus: String(settings.bonuses.signup),
    birthdayBonus: String(settings.bonuses.birthday),
    expiryEnabled: settings.expiry.enabled,
    expiryMonths: String(settings.expiry.months),
    nextOrderEnabled: settings.nextOrder.enabled,
    nextOrderType: settings.nextOrder.valueType,
    nextOrderValue: settings.nextOrder.valueType === "percentage" ? String(settings.nextOrder.value) : minorToDecimal(settings.nextOrder.value, currency),
    nextOrderDays: String(settings.nextOrder.expiresInDays),
    nextOrderFlow: settings.nextOrder.flow,
    tiersEnabled: settings.tiers.enabled,
    tiers: settings.tiers.list.map((t) => ({
      id: t.id,
      name: t.name,
      threshold: minorToDecimal(t.threshold, currency),
      multiplier: multiplierText(t.multiplier),
      perks: t.perks,
    })),
  };
}

/** 125 -> "1.25", 150 -> "1.5", 100 -> "1". */
export const multiplierText = (percent: number) => String(percent / 100);

const text = (value: unknown) => (typeof value === "string" ? value : typeof value === "number" ? String(value) : "");
const wholeNumber = (typed: string) => (/^\s*\d{1,9}\s*$/.test(typed) ? Number(typed) : null);
const isKind = (value: unknown): value is RewardKind => REWARD_KINDS.some((k) => k.kind === value);

/** A submitted form (JSON from the page, anything from anyone) as the form's fields; at most a few more rewards than allowed are read. */
export function loyaltySettingsFormFrom(input: unknown): LoyaltySettingsForm {
  const fields = input && typeof input === "object" ? (input as Record<string, unknown>) : {};
  const rewards = Array.isArray(fields.rewards) ? fields.rewards.slice(0, LOYALTY_BOUNDS.rewards.max + 1) : [];
  const tiers = Array.isArray(fields.tiers) ? fields.tiers.slice(0, LOYALTY_BOUNDS.tiers.max + 1) : [];
  return {
    pointsPerUnit: text(fields.pointsPerUnit),
    includeShipping: fields.includeShipping === true,
    includeTax: fields.includeTax === true,
    approveAfterDeliveryDays: text(fields.approveAfterDeliveryDays),
    approveAfterFulfillmentDays: text(fields.approveAfterFulfillmentDays),
    rewards: rewards.map((entry) => {
      const r = entry && typeof entry === "object" ? (entry as Record<string, unknown>) : {};
      return { id: text(r.id).slice(0, 40), kind: isKind(r.kind) ? r.kind : "amount_off", points: text(r.points), value: text(r.value) };
    }),
    signupBonus: text(fields.signupBonus),
    birthdayBonus: text(fields.birthdayBonus),
    expiryEnabled: fields.expiryEnabled === true,
    expiryMonths: text(fields.expiryMonths),
    nextOrderEnabled: fields.nextOrderEnabled === true,
    nextOrderType: fields.nextOrderType === "fixed_amount" ? "fixed_amount" : "percentage",
    nextOrderValue: text(fields.nextOrderValue),
    nextOrderDays: text(fields.nextOrderDays),
    nextOrderFlow: fields.nextOrderFlow === "goes_with" ? "goes_with" : "thank_you",
    tiersEnabled: fields.tiersEnabled === true,
    tiers: tiers.map((entry) => {
      const t = entry && typeof entry === "object" ? (entry as Record<string, unknown>) : {};
      return { id: text(t.id).slice(0, 40), name: text(t.name), threshold: text(t.threshold), multiplier: text(t.multiplier), perks: text(t.perks) };
    }),
  };
}

/** How a reward's id is written: it names the reward in the storefront contract (`reward_id`). */
export const REWARD_ID = /^[a-z0-9-]{1,40}$/;

/** The settings a submitted form asks for, or what is wrong with it field by field. */
export function readLoyaltySettingsForm(form: LoyaltySettingsForm, currency: string): { settings: EarningSettings } | { errors: LoyaltySettingsErrors } {
  const errors: LoyaltySettingsErrors = {};
  const whole = (field: keyof LoyaltySettingsForm, bounds: { min: number; max: number }, message: string) => {
    const value = wholeNumber(text(form[field]));
    if (value === null || value < bounds.min || value > bounds.max) errors[field] = message;
    return value ?? 0;
  };
  const B = LOYALTY_BOUNDS;
  const pointsPerUnit = whole("pointsPerUnit", B.pointsPerUnit, `Enter a whole number of points from ${B.pointsPerUnit.min} to ${B.pointsPerUnit.max}.`);
  const days = `Enter a number of days from ${B.approveDays.min} to ${B.approveDays.max}.`;
  const approveAfterDeliveryDays = whole("approveAfterDeliveryDays", B.approveDays, days);
  const approveAfterFulfillmentDays = whole("approveAfterFulfillmentDays", B.approveDays, days);
  if (form.rewards.length < B.rewards.min || form.rewards.length > B.rewards.max) errors.rewards = `Offer from ${B.rewards.min} to ${B.rewards.max} rewards.`;

  const taken = new Set<string>();
  const rewards = form.rewards.map((typed, i) => {
    const points = wholeNumber(typed.points);
    if (points === null || points < B.points.min || points > B.points.max)
      errors[`rewards.${i}.points`] = `Enter from ${B.points.min} to ${B.points.max.toLocaleString("en")} points.`;
    let value = 0;
    if (typed.kind === "percent_off") {
      const percent = wholeNumber(typed.value);
      if (percent === null || percent < B.percent.min || percent > B.percent.max)
        errors[`rewards.${i}.value`] = `Enter a whole percentage from ${B.percent.min} to ${B.percent.max}.`;
      value = percent ?? 0;
    } else if (typed.kind !== "free_shipping") {
      const minor = decimalToMinor(typed.value, currency);
      if (minor === null || minor < B.amount.min || minor > B.amount.max) {
        const whole = currencyDigits(currency) === 0 ? ", in whole units" : "";
        errors[`rewards.${i}.value`] = `Enter an amount from ${formatMoney(B.amount.min, currency)} to ${formatMoney(B.amount.max, currency)}${whole}.`;
      }
      value = minor ?? 0;
    }
    // A reward keeps its id while it is edited; a new one gets one from what it is.
    let id = REWARD_ID.test(typed.id) && !taken.has(typed.id) ? typed.id : `${typed.kind.replace("_", "-")}-${points ?? i}`;
    for (let n = 2; taken.has(id); n++) id = `${typed.kind.replace("_", "-")}-${points ?? i}-${n}`;
    taken.add(id);
    return { id, points: points ?? 0, kind: typed.kind, value };
  });
  const tiers = readTiers(form, currency, errors);
  const bonus = `Enter from 0 (none) to ${B.bonus.max.toLocaleString("en")} points.`;
  const bonuses = { signup: whole("signupBonus", B.bonus, bonus), birthday: whole("birthdayBonus", B.bonus, bonus) };
  // The months are checked only when expiry is on: a form that leaves it off may send none.
  const expiry = form.expiryEnabled
    ? { enabled: true, months: whole("expiryMonths", B.expiryMonths, `Enter from ${B.expiryMonths.min} to ${B.expiryMonths.max} months.`) }
    : { enabled: false, months: wholeNumber(form.expiryMonths) ?? DEFAULT_EXPIRY.months };
  const nextOrder = readNextOrder(form, currency, errors);
  if (Object.keys(errors).length > 0) return { errors };
  return {
    settings: {
      pointsPerUnit,
      includeShipping: form.includeShipping,
      includeTax: form.includeTax,
      approveAfterDeliveryDays,
      approveAfterFulfillmentDays,
      rewards,
      tiers,
      bonuses,
      expiry,
      nextOrder,
    },
  };
}

/** The tier ladder: names given, spends rising from zero, multipliers from 1 to 5 (in hundredths). */
function readTiers(form: LoyaltySettingsForm, currency: string, errors: LoyaltySettingsErrors): TierSettings {
  const B = LOYALTY_BOUNDS;
  // Tiers off and no ladder sent: the ladder to start from when they are turned on.
  if (!form.tiersEnabled && form.tiers.length === 0) return DEFAULT_TIERS;
  if (form.tiers.length < B.tiers.min || form.tiers.length > B.tiers.max) errors.tiers = `Have from ${B.tiers.min} to ${B.tiers.max} tiers.`;
  const taken = new Set<string>();
  const list = form.tiers.map((typed, i) => {
    const name = typed.name.trim().replace(/\s+/g, " ");
    if (!name || name.length > B.tierName) errors[`tiers.${i}.name`] = `Name the tier (at most ${B.tierName} characters).`;
    // The first tier is where every member starts: no spend needed.
    const threshold = i === 0 ? 0 : decimalToMinor(typed.threshold, currency);
    const previous = i === 0 ? -1 : (decimalToMinor(form.tiers[i - 1]!.threshold, currency) ?? -1);
    if (threshold === null || threshold <= previous || threshold > B.amount.max) errors[`tiers.${i}.threshold`] = "Enter a spend above the tier before.";
    const multiplier = /^\s*\d(\.\d{1,2})?\s*$/.test(typed.multiplier) ? Math.round(Number(typed.multiplier) * 100) : null;
    if (multiplier === null || multiplier < B.multiplier.min || multiplier > B.multiplier.max)
      errors[`tiers.${i}.multiplier`] = "Enter a multiplier from 1 to 5, like 1.25.";
    const perks = typed.perks.trim();
    if (perks.length > B.perks) errors[`tiers.${i}.perks`] = `Keep the perks to ${B.perks} characters.`;
    const slug =
      name
        .toLowerCase()
        .replace(/[^a-z0-9]+/g, "-")
        .replace(/^-|-$/g, "")
        .slice(0, 30) || `tier-${i + 1}`;
    let id = REWARD_ID.test(typed.id) && !taken.has(typed.id) ? typed.id : slug;
    for (let n = 2; taken.has(id); n++) id = `${slug}-${n}`;
    taken.add(id);
    return { id, name, threshold: threshold ?? 0, multiplier: multiplier ?? 100, perks };
  });
  return { enabled: form.tiersEnabled, list };
}

/** The next-order offer: checked only when it is on (a form that leaves it off keeps its defaults). */
function readNextOrder(form: LoyaltySettingsForm, currency: string, errors: LoyaltySettingsErrors): NextOrderSettings {
  if (!form.nextOrderEnabled) return DEFAULT_NEXT_ORDER;
  const B = LOYALTY_BOUNDS;
  const percentage = form.nextOrderType === "percentage";
  const value = percentage ? wholeNumber(form.nextOrderValue) : decimalToMinor(form.nextOrderValue, currency);
  const bounds = percentage ? B.percent : B.amount;
  if (value === null || value < bounds.min || value > bounds.max)
    errors.nextOrderValue = percentage
      ? `Enter a whole percentage from ${B.percent.min} to ${B.percent.max}.`
      : `Enter an amount from ${formatMoney(B.amount.min, currency)}.`;
  const days = wholeNumber(form.nextOrderDays);
  if (days === null || days < B.offerDays.min || days > B.offerDays.max) errors.nextOrderDays = `Enter from ${B.offerDays.min} to ${B.offerDays.max} days.`;
  return { enabled: true, valueType: form.nextOrderType, value: value ?? 0, expiresInDays: days ?? 0, flow: form.nextOrderFlow };
}
