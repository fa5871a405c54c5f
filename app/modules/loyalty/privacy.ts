// The customer data loyalty holds: their ledger and account. Erasing keeps the amounts (the
// program's liability must still add up) under a pseudonym, never the customer's id, and drops
// the reasons a merchant typed by hand, which may name them; their rewards' records go.
import { randomUUID } from "node:crypto";
import type { Tx } from "~/db.server";
import type { PrivacyRequest } from "~/modules/intake/payloads";
import type { CustomerDataOwner } from "~/modules/privacy";
import { NEXT_ORDER_OWNER } from "./next-order";
import { LOYALTY_REWARD_OWNER } from "./redeem";

export const LOYALTY_DATA: CustomerDataOwner = {
  name: "loyalty",
  async erase(tx: Tx, shop: string, request: PrivacyRequest) {
    if (!request.customerId) return;
    const pseudonym = `redacted:${randomUUID()}`;
    const mine = { shop, customerId: request.customerId };
    await tx.loyaltyEntry.updateMany({ where: { ...mine, actor: { not: null } }, data: { reason: "Adjusted by the merchant (reason erased)" } });
    await tx.loyaltyEntry.updateMany({ where: mine, data: { customerId: pseudonym, actor: null } });
    await tx.loyaltyAccount.updateMany({ where: mine, data: { customerId: pseudonym } });
    // Their redeemed rewards and next-order codes name them: gone.
    await tx.reward.deleteMany({
      where: { ...mine, OR: [{ sourceKey: { startsWith: `${LOYALTY_REWARD_OWNER}:` } }, { sourceKey: { startsWith: `${NEXT_ORDER_OWNER}:` } }] },
    });
  },
  async gather(tx: Tx, shop: string, request: PrivacyRequest) {
    if (!request.customerId) return null;
    const mine = { shop, customerId: request.customerId };
    const [account, entries] = await Promise.all([
      tx.loyaltyAccount.findUnique({ where: { shop_customerId: mine }, select: { balance: true, pending: true } }),
      tx.loyaltyEntry.findMany({
        where: mine,
        orderBy: { createdAt: "asc" },
        select: { kind: true, pendingDelta: true, balanceDelta: true, orderId: true, reason: true, createdAt: true },
      }),
    ]);
    return { account, entries };
  },
};
