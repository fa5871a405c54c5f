// The customer's own answer from a re-order reminder: "remind me in 2, 4 or 8 weeks", or
// "never for this product". It is remembered for their future orders of that product (it
// wins over the merchant's and the learned interval) and schedules their own reminder.
import db from "~/db.server";
import { DAY } from "~/modules/messaging/timing";
import { REMIND_AGAIN_WEEKS } from "./content";
import { scheduleOnce } from "./schedule";

export type ReorderAnswer = { weeks: (typeof REMIND_AGAIN_WEEKS)[number] } | { weeks: "never" };

/** "2", "4", "8" or "never" from a link; anything else is no answer. */
export function parseReorderAnswer(value: string | null): ReorderAnswer | null {
  if (value === "never") return { weeks: "never" };
  const weeks = Number(value);
  return (REMIND_AGAIN_WEEKS as readonly number[]).includes(weeks) ? { weeks: weeks as ReorderAnswer["weeks"] & number } : null;
}

/** The reminder a link points at, and the product it asks about; null if it is not one of its products. */
export async function findReorderReminder(shop: string, messageId: string, productId: string) {
  const message = await db.message.findFirst({ where: { shop, id: messageId, flow: "reorder" } });
  if (!message || !(JSON.parse(message.productIds) as string[]).includes(productId)) return null;
  const [shopRow, line, choice] = await Promise.all([
    db.shop.findUnique({ where: { shop }, select: { name: true, timezone: true } }),
    db.lineItem.findFirst({ where: { shop, orderId: message.orderId ?? "", productId }, select: { title: true } }),
    message.customerId ? db.reorderChoice.findUnique({ where: { shop_customerId_productId: { shop, customerId: message.customerId, productId } } }) : null,
  ]);
  return { message, productId, productTitle: line?.title ?? "this product", storeName: shopRow?.name ?? shop, timezone: shopRow?.timezone ?? "UTC", choice };
}

export const ownReminderKey = (messageId: string, productId: string) => `choice:${messageId}:${productId}`;

/** Records the answer; returns when the customer's own reminder is due (null for "never"). */
export async function recordReorderAnswer(
  reminder: NonNullable<Awaited<ReturnType<typeof findReorderReminder>>>,
  answer: ReorderAnswer,
  now: Date,
): Promise<Date | null> {
  const { message, productId } = reminder;
  const days = answer.weeks === "never" ? null : answer.weeks * 7;
  const dueAt = days === null ? null : new Date(now.getTime() + days * DAY);
  const key = ownReminderKey(message.id, productId);
  await db.$transaction(async (tx) => {
    if (message.customerId) {
      const id = { shop: message.shop, customerId: message.customerId, productId };
      await tx.reorderChoice.upsert({ where: { shop_customerId_productId: id }, create: { ...id, days, at: now }, update: { days, at: now } });
    }
    if (dueAt === null) {
      await tx.message.updateMany({
        where: { shop: message.shop, key, status: "scheduled" },
        data: { status: "cancelled", detail: "the customer asked not to be reminded" },
      });
      return;
    }
    // Answering again from the same email moves their reminder rather than adding another
    // (one already sent stays sent).
    const created = await scheduleOnce(tx, {
      shop: message.shop,
      key,
      orderId: message.orderId ?? "",
      customerId: message.customerId,
      flow: "reorder",
      productIds: [productId],
      dueAt,
      marketing: false, // they asked for it
    });
    if (!created)
      await tx.message.updateMany({
        where: { shop: message.shop, key, status: { in: ["scheduled", "cancelled"] } },
        data: { dueAt, status: "scheduled", detail: null },
      });
  });
  return dueAt;
}
