// A shop's review choices, kept under `reviews` in Shop.settings and always read through
// parseReviewSettings(), which fills in the defaults and drops what is out of bounds:
// - publish: what goes live without a look first;
// - reward: what a customer gets for a published review (never depending on its rating);
// - questions: whether verified buyers are invited by email to answer shoppers' questions.
import db from "~/db.server";
import { readShopSettings, updateSettingsSection } from "~/modules/shops/settings";
import {
  DEFAULT_REVIEW_SETTINGS,
  DEFAULT_REWARD_DAYS,
  MIN_RATING_RANGE,
  readReviewSettingsForm,
  REVIEW_POINTS,
  REWARD_LIMITS,
  reviewSettingsForm,
  reviewSettingsFormFrom,
  type ReviewReward,
  type ReviewSettings,
  type ReviewSettingsErrors,
  type ReviewSettingsForm,
} from "./settings-form";

export { DEFAULT_REVIEW_SETTINGS, MIN_RATING_RANGE, REWARD_LIMITS, type PublishRule, type ReviewReward, type ReviewSettings } from "./settings-form";

const isInt = (value: unknown, min: number, max: number): value is number => Number.isInteger(value) && (value as number) >= min && (value as number) <= max;
const section = (value: unknown) => (value && typeof value === "object" ? (value as Record<string, unknown>) : {});

function parseReward(stored: Record<string, unknown>): ReviewReward {
  if (stored.kind === "points")
    return isInt(stored.points, REVIEW_POINTS.min, REVIEW_POINTS.max) ? { kind: "points", points: stored.points } : { kind: "none" };
  if (stored.kind !== "discount") return { kind: "none" };
  const valueType = stored.valueType === "fixed_amount" ? "fixed_amount" : "percentage";
  const { min, max } = REWARD_LIMITS[valueType];
  if (!isInt(stored.value, min, max)) return { kind: "none" };
  const days = REWARD_LIMITS.expiresInDays;
  return {
    kind: "discount",
    valueType,
    value: stored.value,
    expiresInDays: isInt(stored.expiresInDays, days.min, days.max) ? stored.expiresInDays : DEFAULT_REWARD_DAYS,
  };
}

export function parseReviewSettings(settingsJson: string | null | undefined): ReviewSettings {
  const stored = section(readShopSettings(settingsJson).reviews);
  const publish = section(stored.publish);
  const defaults = DEFAULT_REVIEW_SETTINGS;
  return {
    publish: {
      minRating: isInt(publish.minRating, MIN_RATING_RANGE.min, MIN_RATING_RANGE.max) ? publish.minRating : defaults.publish.minRating,
      holdLinks: typeof publish.holdLinks === "boolean" ? publish.holdLinks : defaults.publish.holdLinks,
    },
    reward: parseReward(section(stored.reward)),
    questions: { inviteBuyers: section(stored.questions).inviteBuyers === true },
  };
}

/** Stores new review settings (each part parsed again, so nothing out of bounds is kept). */
export function saveReviewSettings(shop: string, next: ReviewSettings): Promise<ReviewSettings> {
  return updateSettingsSection(shop, "reviews", parseReviewSettings, () => parseReviewSettings(JSON.stringify({ reviews: next })));
}

/** The settings page's form for the shop, with the currency its amounts are in. */
export async function reviewSettingsPage(shop: string): Promise<{ currency: string; form: ReviewSettingsForm }> {
  const row = await db.shop.findUnique({ where: { shop }, select: { settings: true, currency: true } });
  const currency = row?.currency ?? "USD";
  return { currency, form: reviewSettingsForm(parseReviewSettings(row?.settings), currency) };
}

/** Saves what the settings form asks for; with any field wrong nothing is saved. */
export async function saveReviewSettingsForm(
  shop: string,
  input: unknown,
): Promise<{ saved: true; form: ReviewSettingsForm } | { saved: false; errors: ReviewSettingsErrors }> {
  const { currency } = await reviewSettingsPage(shop);
  const read = readReviewSettingsForm(reviewSettingsFormFrom(input), currency);
  if ("errors" in read) return { saved: false, errors: read.errors };
  return { saved: true, form: reviewSettingsForm(await saveReviewSettings(shop, read.settings), currency) };
}
