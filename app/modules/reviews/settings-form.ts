// The shape and bounds of a shop's review settings, and the settings form read into them. No
// server imports: the settings page in the browser shows the same choices and bounds the
// server checks. Stored and parsed by settings.ts.
import { currencyDigits, decimalToMinor, formatMoney, minorToDecimal } from "~/format";

export type PublishRule = { minRating: number; holdLinks: boolean };
export type ReviewReward =
  | { kind: "none" }
  | { kind: "discount"; valueType: "percentage" | "fixed_amount"; /** percent, or minor units of the shop's currency */ value: number; expiresInDays: number }
  /** Loyalty points, given at once while the loyalty program runs. */
  | { kind: "points"; points: number };
export type ReviewSettings = { publish: PublishRule; reward: ReviewReward; questions: { inviteBuyers: boolean } };

export const DEFAULT_REVIEW_SETTINGS: ReviewSettings = {
  publish: { minRating: 4, holdLinks: true },
  reward: { kind: "none" },
  questions: { inviteBuyers: false },
};
/** minRating 6 means nothing publishes by itself. */
export const MIN_RATING_RANGE = { min: 1, max: 6 };
export const REVIEW_POINTS = { min: 1, max: 100_000, default: 50 };
export const REWARD_LIMITS = { percentage: { min: 1, max: 100 }, fixed_amount: { min: 1, max: 100_000_00 }, expiresInDays: { min: 7, max: 365 } };
export const DEFAULT_REWARD_DAYS = 60;

/** The publish rules a merchant chooses from, by the lowest rating that goes live at once. */
export const PUBLISH_CHOICES = [
  { minRating: 5, label: "5-star reviews only" },
  { minRating: 4, label: "4 and 5 stars" },
  { minRating: 3, label: "3 stars and up" },
  { minRating: 1, label: "All reviews" },
  { minRating: 6, label: "None: I read every review first" },
] as const;

/** What a reward is worth, as the customer reads it: "10%" or "$5.00". */
export function rewardWorth(reward: Pick<Extract<ReviewReward, { kind: "discount" }>, "valueType" | "value">, currency: string): string {
  return reward.valueType === "percentage" ? `${reward.value}%` : formatMoney(reward.value, currency);
}

/** The settings form's fields, as typed (amounts in the shop's currency, not minor units). */
export type ReviewSettingsForm = {
  minRating: string;
  holdLinks: boolean;
  reward: "none" | "discount" | "points";
  points: string;
  valueType: "percentage" | "fixed_amount";
  value: string;
  expiresInDays: string;
  inviteBuyers: boolean;
};
export type ReviewSettingsErrors = Partial<Record<"minRating" | "value" | "expiresInDays" | "points", string>>;

/** The form showing these settings. */
export function reviewSettingsForm(settings: ReviewSettings, currency: string): ReviewSettingsForm {
  const { reward } = settings;
  const discount = reward.kind === "discount" ? reward : null;
  return {
    minRating: String(settings.publish.minRating),
    holdLinks: settings.publish.holdLinks,
    reward: reward.kind,
    points: String(reward.kind === "points" ? reward.points : REVIEW_POINTS.default),
    valueType: discount?.valueType ?? "percentage",
    value: !discount ? "10" : discount.valueType === "percentage" ? String(discount.value) : minorToDecimal(discount.value, currency),
    expiresInDays: String(discount?.expiresInDays ?? DEFAULT_REWARD_DAYS),
    inviteBuyers: settings.questions.inviteBuyers,
  };
}

/** A submitted form (JSON from the page, anything from anyone) as the form's fields. */
export function reviewSettingsFormFrom(input: unknown): ReviewSettingsForm {
  const fields = input && typeof input === "object" ? (input as Record<string, unknown>) : {};
  const text = (value: unknown) => (typeof value === "string" ? value : typeof value === "number" ? String(value) : "");
  return {
    minRating: text(fields.minRating),
    holdLinks: fields.holdLinks === true,
    reward: fields.reward === "discount" || fields.reward === "points" ? fields.reward : "none",
    points: text(fields.points),
    valueType: fields.valueType === "fixed_amount" ? "fixed_amount" : "percentage",
    value: text(fields.value),
    expiresInDays: text(fields.expiresInDays),
    inviteBuyers: fields.inviteBuyers === true,
  };
}

const wholeNumber = (typed: string) => (/^\s*\d{1,9}\s*$/.test(typed) ? Number(typed) : null);

/** The settings a submitted form asks for, or what is wrong with it field by field. */
export function readReviewSettingsForm(form: ReviewSettingsForm, currency: string): { settings: ReviewSettings } | { errors: ReviewSettingsErrors } {
  const errors: ReviewSettingsErrors = {};
  const minRating = Number(form.minRating);
  if (!PUBLISH_CHOICES.some((choice) => choice.minRating === minRating)) errors.minRating = "Choose which reviews go live by themselves.";
  let reward: ReviewReward = { kind: "none" };
  if (form.reward === "points") {
    const points = wholeNumber(form.points);
    if (points === null || points < REVIEW_POINTS.min || points > REVIEW_POINTS.max)
      errors.points = `Enter from ${REVIEW_POINTS.min} to ${REVIEW_POINTS.max.toLocaleString("en")} points.`;
    else reward = { kind: "points", points };
  }
  if (form.reward === "discount") {
    const valueType = form.valueType === "fixed_amount" ? "fixed_amount" : "percentage";
    const { min, max } = REWARD_LIMITS[valueType];
    const value = valueType === "percentage" ? wholeNumber(form.value) : decimalToMinor(form.value, currency);
    if (value === null || value < min || value > max) {
      errors.value =
        valueType === "percentage"
          ? `Enter a whole percentage from ${min} to ${max}.`
          : `Enter an amount from ${formatMoney(min, currency)} to ${formatMoney(max, currency)}${currencyDigits(currency) === 0 ? ", in whole units" : ""}.`;
    }
    const days = wholeNumber(form.expiresInDays);
    const bounds = REWARD_LIMITS.expiresInDays;
    if (days === null || days < bounds.min || days > bounds.max) errors.expiresInDays = `Enter a number of days from ${bounds.min} to ${bounds.max}.`;
    if (value !== null && days !== null) reward = { kind: "discount", valueType, value, expiresInDays: days };
  }
  if (Object.keys(errors).length > 0) return { errors };
  return { settings: { publish: { minRating, holdLinks: form.holdLinks === true }, reward, questions: { inviteBuyers: form.inviteBuyers === true } } };
}
