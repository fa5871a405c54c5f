// The customer data promises hold: which customer an order's promise was made to (and its
// destination country), and the goodwill given them. Erasing a customer keeps the promise's
// outcome without them (the on-time figures still add up) and deletes their goodwill records.
import type { Tx } from "~/db.server";
import type { PrivacyRequest } from "~/modules/intake/payloads";
import { customerRowsMatch, type CustomerDataOwner } from "~/modules/privacy";
import { GOODWILL_OWNER } from "./goodwill";

const goodwill = { sourceKey: { startsWith: `${GOODWILL_OWNER}:` } };

export const PROMISE_DATA: CustomerDataOwner = {
  name: "promises",
  async erase(tx: Tx, shop: string, request: PrivacyRequest) {
    const match = customerRowsMatch(shop, request);
    if (match.OR.length === 0) return;
    await tx.orderPromise.updateMany({ where: match, data: { customerId: null, country: null } });
    await tx.reward.deleteMany({ where: { ...match, ...goodwill } });
  },
  async gather(tx: Tx, shop: string, request: PrivacyRequest) {
    const match = customerRowsMatch(shop, request);
    if (match.OR.length === 0) return null;
    const promises = await tx.orderPromise.findMany({
      where: match,
      select: {
        orderId: true,
        orderName: true,
        country: true,
        placedAt: true,
        dispatchBy: true,
        deliverBy: true,
        shippedAt: true,
        deliveredAt: true,
        state: true,
      },
    });
    const orderIds = promises.map((p) => p.orderId);
    const breaches = await tx.promiseBreach.findMany({
      where: { shop, orderId: { in: orderIds } },
      select: { orderId: true, kind: true, brokenAt: true, expectedBy: true, decision: true },
    });
    const goodwillGiven = await tx.reward.findMany({
      where: { ...match, ...goodwill },
      select: { kind: true, valueType: true, value: true, currency: true, status: true, code: true, createdAt: true },
    });
    return { promises, breaches, goodwill: goodwillGiven };
  },
};
