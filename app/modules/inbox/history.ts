// What the store knows of the customer in a conversation, beside the thread: their latest
// orders, the emails the app sent them, their reviews and their points.
import db from "~/db.server";

const RECENT = 5;

export async function customerHistory(shop: string, customerId: string | null) {
  if (!customerId) return null;
  const [customer, orders, emails, reviews, account] = await Promise.all([
    db.customer.findFirst({ where: { shop, id: customerId }, select: { firstName: true, lastName: true, email: true, emailMarketingState: true } }),
    db.order.findMany({
      where: { shop, customerId },
      orderBy: { processedAt: "desc" },
      take: RECENT,
      select: { id: true, name: true, totalMinor: true, currency: true, processedAt: true, fulfillmentStatus: true, cancelledAt: true },
    }),
    db.message.findMany({
      where: { shop, customerId, sentAt: { not: null } },
      orderBy: { sentAt: "desc" },
      take: RECENT,
      select: { id: true, flow: true, subject: true, sentAt: true, status: true },
    }),
    db.review.findMany({
      where: { shop, customerId },
      orderBy: { createdAt: "desc" },
      take: RECENT,
      select: { id: true, rating: true, title: true, productTitle: true },
    }),
    db.loyaltyAccount.findUnique({ where: { shop_customerId: { shop, customerId } }, select: { balance: true, pending: true } }),
  ]);
  const orderCount = await db.order.count({ where: { shop, customerId } });
  return { customer, orders, orderCount, emails, reviews, points: account };
}
