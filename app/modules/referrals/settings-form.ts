// The referral program's settings as the merchant edits them: the friend's discount, the
// advocate's reward and when it is given, and the fraud rules' limits. No server imports: the
// settings page in the browser shows the same bounds the server checks.
import { currencyDigits, decimalToMinor, formatMoney, minorToDecimal } from "~/format";

/** What the advocate gets for a friend's order that stood: points, an amount off (minor units), or store credit (minor units). */
export type AdvocateReward = { kind: "points" | "amount_off" | "store_credit"; value: number };

export type ReferralRules = {
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

export const REFERRAL_DEFAULTS: ReferralRules = {
  friendPercent: 10,
  advocateReward: { kind: "points", value: 500 },
  returnWindowDays: 30,
  weeklyAddressLimit: 10,
  burstLimit: 5,
  burstHours: 24,
};

export const REFERRAL_BOUNDS = {
  friendPercent: { min: 1, max: 100 },
  points: { min: 1, max: 1_000_000 },
  amount: { min: 1, max: 100_000_000 },
  returnWindowDays: { min: 0, max: 365 },
  weeklyAddressLimit: { min: 1, max: 1000 },
  burstLimit: { min: 1, max: 1000 },
  burstHours: { min: 1, max: 720 },
} as const;

export const ADVOCATE_REWARD_KINDS = [
  { kind: "points", label: "Loyalty points" },
  { kind: "amount_off", label: "A one-use code for an amount off" },
  { kind: "store_credit", label: "Store credit" },
] as const;

/** The form's fields, as typed (amounts in the shop's currency). */
export type ReferralSettingsForm = {
  friendPercent: string;
  advocateKind: AdvocateReward["kind"];
  advocateValue: string;
  returnWindowDays: string;
  weeklyAddressLimit: string;
  burstLimit: string;
  burstHours: string;
};

export function referralSettingsForm(rules: ReferralRules, currency: string): ReferralSettingsForm {
  const { advocateReward: reward } = rules;
  return {
    friendPercent: String(rules.friendPercent),
    advocateKind: reward.kind,
    advocateValue: reward.kind === "points" ? String(reward.value) : minorToDecimal(reward.value, currency),
    returnWindowDays: String(rules.returnWindowDays),
    weeklyAddressLimit: String(rules.weeklyAddressLimit),
    burstLimit: String(rules.burstLimit),
    burstHours: String(rules.burstHours),
  };
}

const text = (value: unknown) => (typeof value === "string" ? value.slice(0, 40) : typeof value === "number" ? String(value) : "");
const wholeNumber = (typed: string) => (/^\s*\d{1,9}\s*$/.test(typed) ? Number(typed) : null);

/** The rules a submitted form (anything from anyone) asks for, or what is wrong with it field by field. */
export function readReferralSettingsForm(input: unknown, currency: string): { rules: ReferralRules } | { errors: Record<string, string> } {
  const fields = input && typeof input === "object" ? (input as Record<string, unknown>) : {};
  const errors: Record<string, string> = {};
  const B = REFERRAL_BOUNDS;
  const whole = (field: keyof ReferralSettingsForm, bounds: { min: number; max: number }, unit: string) => {
    const value = wholeNumber(text(fields[field]));
    if (value === null || value < bounds.min || value > bounds.max)
      errors[field] = `Enter a whole number of ${unit} from ${bounds.min} to ${bounds.max.toLocaleString("en")}.`;
    return value ?? 0;
  };
  const kind = ADVOCATE_REWARD_KINDS.find((k) => k.kind === fields.advocateKind)?.kind;
  if (!kind) errors.advocateKind = "Choose what the customer who referred gets.";
  const money = () => {
    const minor = decimalToMinor(text(fields.advocateValue), currency);
    if (minor === null || minor < B.amount.min || minor > B.amount.max) {
      errors.advocateValue = `Enter an amount from ${formatMoney(B.amount.min, currency)} to ${formatMoney(B.amount.max, currency)}${currencyDigits(currency) === 0 ? ", in whole units" : ""}.`;
    }
    return minor ?? 0;
  };
  // An unknown kind is marked on its own; its value cannot be judged.
  const value = !kind ? 0 : kind === "points" ? whole("advocateValue", B.points, "points") : money();
  const rules: ReferralRules = {
    friendPercent: whole("friendPercent", B.friendPercent, "percent"),
    advocateReward: { kind: kind ?? "points", value },
    returnWindowDays: whole("returnWindowDays", B.returnWindowDays, "days"),
    weeklyAddressLimit: whole("weeklyAddressLimit", B.weeklyAddressLimit, "referrals"),
    burstLimit: whole("burstLimit", B.burstLimit, "customers"),
    burstHours: whole("burstHours", B.burstHours, "hours"),
  };
  return Object.keys(errors).length > 0 ? { errors } : { rules };
}
