// Reviews: what customers write about products, from the review request's signed link (a
// verified purchase) or the storefront. Text is kept exactly as written; every page and email
// escapes it when it shows it. The store's auto-publish rule decides what goes live at once.
import { randomUUID } from "node:crypto";
import db, { inParts, type Tx } from "~/db.server";
import type { PrivacyRequest } from "~/modules/intake/payloads";
import { isEmailAddress, normalizeEmail } from "~/modules/messaging/consent";
import { customerRowsMatch, type CustomerDataOwner } from "~/modules/privacy";
import { knownProductTitle } from "~/modules/storefront/products";
import { LIMITS, MAX_PHOTOS } from "./limits";
import { processPhoto, PhotoError, type ProcessedPhoto } from "./photos";
import { markRatingChanged } from "./ratings";
import { recordRewards } from "./rewards";
import { parseReviewSettings, type PublishRule } from "./settings";
import { rewardWorth } from "./settings-form";

export { productChoices } from "./moderation";
export { syncProductRatings } from "./ratings";
export { parseReviewSettings } from "./settings";
/** Ratings at or below this open a case for a personal response. */
const LOW_RATING = 2;

/** "Maya Chen" -> "Maya C.": recognisable to the store, private enough for the storefront. */
export function defaultDisplayName(firstName: string | null, lastName: string | null): string {
  const first = (firstName ?? "").trim();
  const initial = (lastName ?? "").trim().charAt(0);
  if (!first) return "A verified buyer";
  return initial ? `${first} ${initial.toUpperCase()}.` : first;
}

const LINK = /(https?:\/\/|www\.|\b[a-z0-9-]+\.(com|net|org|io|shop|store|co)\b)/i;

export function publishesAtOnce(rule: PublishRule, review: { rating: number; title: string | null; body: string }): boolean {
  if (review.rating < rule.minRating) return false;
  return !(rule.holdLinks && LINK.test(`${review.title ?? ""} ${review.body}`));
}

/**
 * What a review request's link asks about: the product (one of those the email asked about),
 * the order, who bought it, and the review already written for it, if any.
 */
export async function findReviewInvitation(shop: string, messageId: string, productId: string) {
  const message = await db.message.findFirst({ where: { shop, id: messageId, flow: "review_request" } });
  if (!message?.orderId || !(JSON.parse(message.productIds) as string[]).includes(productId)) return null;
  const [shopRow, line, order, existing] = await Promise.all([
    db.shop.findUnique({ where: { shop }, select: { name: true, settings: true, currency: true } }),
    db.lineItem.findFirst({ where: { shop, orderId: message.orderId, productId }, select: { title: true, variantTitle: true } }),
    db.order.findUnique({ where: { shop_id: { shop, id: message.orderId } }, select: { customerId: true } }),
    db.review.findUnique({
      where: { shop_orderId_productId: { shop, orderId: message.orderId, productId } },
      select: { id: true, rating: true, title: true, body: true, authorName: true, status: true },
    }),
  ]);
  if (!line) return null;
  const customer = order?.customerId
    ? await db.customer.findUnique({ where: { shop_id: { shop, id: order.customerId } }, select: { firstName: true, lastName: true } })
    : null;
  const settings = parseReviewSettings(shopRow?.settings);
  const customerId = order?.customerId ?? message.customerId;
  return {
    shop,
    storeName: shopRow?.name ?? shop,
    rule: settings.publish,
    /** What a published review earns this customer ("10%"), or null. */
    rewardOffer: settings.reward.kind === "discount" && customerId ? rewardWorth(settings.reward, shopRow?.currency ?? "USD") : null,
    messageId: message.id,
    orderId: message.orderId,
    customerId,
    productId,
    productTitle: line.title,
    variantTitle: line.variantTitle,
    suggestedName: defaultDisplayName(customer?.firstName ?? null, customer?.lastName ?? null),
    existing,
  };
}
export type ReviewInvitation = NonNullable<Awaited<ReturnType<typeof findReviewInvitation>>>;

export type ReviewDraft = { rating: number; title: string; body: string; authorName: string; photos: Buffer[] };
export type DraftErrors = Partial<Record<"rating" | "title" | "body" | "authorName" | "photos" | "email" | "product", string>>;

/** What is wrong with a draft, field by field, in words a shopper can act on; {} when it is fine. */
export function reviewDraftErrors(draft: ReviewDraft): DraftErrors {
  const errors: DraftErrors = {};
  if (!Number.isInteger(draft.rating) || draft.rating < 1 || draft.rating > 5) errors.rating = "Choose from one to five stars.";
  if (draft.title.length > LIMITS.title) errors.title = `Keep the title under ${LIMITS.title} characters.`;
  if (draft.body.trim().length === 0) errors.body = "Tell other customers a little about it.";
  else if (draft.body.length > LIMITS.body) errors.body = `Keep the review under ${LIMITS.body.toLocaleString("en")} characters.`;
  if (draft.authorName.trim().length === 0) errors.authorName = "Add the name to show with your review.";
  else if (draft.authorName.length > LIMITS.name) errors.authorName = `Keep the name under ${LIMITS.name} characters.`;
  if (draft.photos.length > MAX_PHOTOS) errors.photos = `Add at most ${MAX_PHOTOS} photos.`;
  return errors;
}

export type SubmitResult = { kind: "saved"; status: "published" | "pending" } | { kind: "invalid"; errors: DraftErrors } | { kind: "already"; status: string };

/** Who a review is from and what it is about; `verified` only when we know they bought it. */
type ReviewOrigin = {
  shop: string;
  productId: string;
  productTitle: string;
  orderId: string | null;
  customerId: string | null;
  email: string | null;
  messageId: string | null;
  verified: boolean;
  source: "email" | "storefront";
  rule: PublishRule;
};

/** Saves a review: validated, photos re-encoded, one per order item (or per customer or address for reviews without an order). */
async function saveReview(origin: ReviewOrigin, draft: ReviewDraft, now: Date): Promise<SubmitResult> {
  const errors = reviewDraftErrors(draft);
  if (Object.keys(errors).length > 0) return { kind: "invalid", errors };
  let photos: ProcessedPhoto[];
  try {
    photos = await Promise.all(draft.photos.map(processPhoto));
  } catch (error) {
    if (error instanceof PhotoError) return { kind: "invalid", errors: { photos: error.message } };
    throw error;
  }
  const title = draft.title.trim() || null;
  const body = draft.body.trim();
  // A review we cannot tie to a purchase always waits for the merchant's look.
  const published = origin.verified && publishesAtOnce(origin.rule, { rating: draft.rating, title, body });
  const { shop, orderId, productId, customerId, email } = origin;
  const sameAuthor = orderId ? { orderId } : customerId ? { customerId } : { email };
  return db.$transaction(async (tx) => {
    const existing = await tx.review.findFirst({ where: { shop, productId, ...sameAuthor }, select: { status: true } });
    if (existing) return { kind: "already", status: existing.status } as const;
    const id = randomUUID();
    await tx.review.create({
      data: {
        id,
        shop,
        productId,
        productTitle: origin.productTitle,
        orderId,
        customerId,
        email,
        messageId: origin.messageId,
        rating: draft.rating,
        title,
        body,
        authorName: draft.authorName.trim(),
        verified: origin.verified,
        source: origin.source,
        status: published ? "published" : "pending",
        createdAt: now,
        publishedAt: published ? now : null,
        photos: { create: photos.map((photo, position) => ({ id: randomUUID(), shop, position, ...photo })) },
      },
    });
    if (published) {
      await markRatingChanged(tx, shop, [productId], now);
      await recordRewards(tx, shop, [{ id, customerId, orderId, source: origin.source, verified: origin.verified }], now);
    }
    if (draft.rating <= LOW_RATING) {
      await tx.customerCase.create({
        data: {
          id: randomUUID(),
          shop,
          kind: "low_rating",
          orderId,
          customerId,
          reviewId: id,
          summary: `${draft.rating}★ review of ${origin.productTitle}${title ? `: “${title}”` : ""}`,
          createdAt: now,
          lastMessageAt: now,
        },
      });
    }
    return { kind: "saved", status: published ? "published" : "pending" } as const;
  });
}

/** Saves a verified review from an email link: one per product of the order. */
export function submitInvitedReview(invitation: ReviewInvitation, draft: ReviewDraft, now: Date): Promise<SubmitResult> {
  return saveReview({ ...invitation, email: null, verified: true, source: "email" }, draft, now);
}

/**
 * A review written in the storefront widget. Shopify tells us who is logged in: a customer
 * with an order of this product writes a verified review of their latest order not reviewed
 * yet; anyone else writes an unverified one (a guest gives an address, never shown). The
 * product's title is the store's (an order line, else the Admin API); a product neither knows
 * is refused rather than stored under a title the shopper made up.
 */
export async function submitStorefrontReview(
  shop: string,
  author: { customerId: string | null; email: string | null },
  productId: string,
  draft: ReviewDraft,
  now: Date,
): Promise<SubmitResult> {
  if (!author.customerId && !isEmailAddress(author.email)) {
    return { kind: "invalid", errors: { ...reviewDraftErrors(draft), email: "Add your email address (it is never shown)." } };
  }
  const purchases = author.customerId
    ? await db.lineItem.findMany({
        where: { shop, productId, order: { customerId: author.customerId, cancelledAt: null } },
        select: { orderId: true, title: true, order: { select: { createdAt: true } } },
        orderBy: { order: { createdAt: "desc" } },
      })
    : [];
  const reviewed = new Set(
    (await db.review.findMany({ where: { shop, productId, orderId: { in: purchases.map((p) => p.orderId) } }, select: { orderId: true } })).map(
      (r) => r.orderId,
    ),
  );
  const purchase = purchases.find((p) => !reviewed.has(p.orderId));
  if (purchases.length > 0 && !purchase) return { kind: "already", status: "reviewed" };
  const productTitle = purchase?.title ?? (await knownProductTitle(shop, productId));
  if (productTitle === null) return { kind: "invalid", errors: { product: "This product can't be found in the store any more. Please reload the page." } };
  const shopRow = await db.shop.findUnique({ where: { shop }, select: { settings: true } });
  const base = { shop, productId, productTitle, messageId: null, source: "storefront" as const, rule: parseReviewSettings(shopRow?.settings).publish };
  if (!author.customerId) return saveReview({ ...base, orderId: null, customerId: null, email: normalizeEmail(author.email!), verified: false }, draft, now);
  return saveReview({ ...base, orderId: purchase?.orderId ?? null, customerId: author.customerId, email: null, verified: Boolean(purchase) }, draft, now);
}

/** A stored photo by its unguessable id, for the photo route. */
export function findReviewPhoto(id: string) {
  return db.reviewPhoto.findUnique({ where: { id }, select: { bytes: true, mimeType: true } });
}

/** The customer's reviews: theirs, about their orders, or written as a guest with their address. */
function reviewsOf(shop: string, request: PrivacyRequest) {
  const match: { shop: string; OR: object[] } = customerRowsMatch(shop, request);
  if (request.email) match.OR.push({ email: normalizeEmail(request.email) });
  return match;
}

/** Reviews are the customer's: erasure removes them with their photos and cases, export includes them. */
export const REVIEW_DATA: CustomerDataOwner = {
  name: "reviews",
  async erase(tx: Tx, shop: string, request: PrivacyRequest) {
    const match = reviewsOf(shop, request);
    if (match.OR.length === 0) return;
    const reviews = await tx.review.findMany({ where: match, select: { id: true, productId: true, status: true } });
    for (const ids of inParts(reviews.map((r) => r.id))) await tx.customerCase.deleteMany({ where: { shop, reviewId: { in: ids } } });
    await tx.review.deleteMany({ where: match }); // photos go with them (cascade)
    // The stars in Shopify must no longer count them.
    await markRatingChanged(
      tx,
      shop,
      reviews.filter((r) => r.status === "published").map((r) => r.productId),
      new Date(),
    );
  },
  async gather(tx: Tx, shop: string, request: PrivacyRequest) {
    const match = reviewsOf(shop, request);
    if (match.OR.length === 0) return { reviews: [] };
    const reviews = await tx.review.findMany({
      where: match,
      select: {
        productTitle: true,
        rating: true,
        title: true,
        body: true,
        authorName: true,
        status: true,
        createdAt: true,
        _count: { select: { photos: true } },
      },
    });
    return { reviews };
  },
};
