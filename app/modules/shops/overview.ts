// What the admin home shows: what waits for the merchant, are we installed, what have we
// heard, and how did it go.
import db from "~/db.server";

export async function shopOverview(shop: string, latest = 15) {
  const [record, customers, orders, fulfillments, refunds, deliveries, byOutcome, recent, reviews, questions, cases] = await Promise.all([
    db.shop.findUnique({ where: { shop } }),
    db.customer.count({ where: { shop } }),
    db.order.count({ where: { shop } }),
    db.fulfillment.count({ where: { shop } }),
    db.refund.count({ where: { shop } }),
    db.webhookDelivery.count({ where: { shop } }),
    db.webhookDelivery.groupBy({ by: ["outcome"], where: { shop, outcome: { not: "processed" } }, _count: { _all: true } }),
    db.webhookDelivery.findMany({
      where: { shop },
      orderBy: { receivedAt: "desc" },
      take: latest,
      select: { webhookId: true, topic: true, triggeredAt: true, receivedAt: true, outcome: true, detail: true },
    }),
    db.review.count({ where: { shop, status: "pending" } }),
    db.question.count({ where: { shop, status: "pending" } }),
    db.customerCase.count({ where: { shop, status: "open" } }),
  ]);
  const countOf = (outcome: string) => byOutcome.find((group) => group.outcome === outcome)?._count._all ?? 0;
  return {
    shop: {
      domain: shop,
      name: record?.name ?? shop,
      currency: record?.currency ?? null,
      timezone: record?.timezone ?? null,
      installedAt: record?.installedAt ?? null,
      uninstalledAt: record?.uninstalledAt ?? null,
    },
    counts: { customers, orders, fulfillments, refunds, deliveries, pending: countOf("pending"), skipped: countOf("skipped"), failed: countOf("failed") },
    /** What waits for the merchant: reviews and questions to read, customers to answer personally. */
    waiting: { reviews, questions, cases },
    recent,
  };
}

export async function listDataRequests(shop: string) {
  return db.dataRequest.findMany({
    where: { shop },
    orderBy: { receivedAt: "desc" },
    select: { id: true, customerId: true, requestId: true, receivedAt: true },
  });
}

export async function getDataRequestExport(shop: string, id: string) {
  return db.dataRequest.findFirst({ where: { shop, id }, select: { customerId: true, export: true } });
}
