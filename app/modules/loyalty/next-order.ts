// The next-order offer (off until the merchant turns it on): a paid order of a known customer
// earns a one-use code for their next order, recorded in the intake transaction, created in
// Shopify by the rewards module, and shown in the order's thank-you or goes-well-with email,
// which waits a few minutes for the code if it has to. Once per order, whatever the webhooks do.
import { sql, statementsIn, timeOf, type Tx } from "~/db.server";
import type { IntakeEvent, WebhookReaction } from "~/modules/intake";
import { orderOfferKey, recordReward, type RewardOwner } from "~/modules/rewards";
import { parseLoyaltySettings } from "./settings";

/** The owner of next-order codes, as their sourceKey names it ("offer:<order id>:<flow>"). */
export const NEXT_ORDER_OWNER = "offer";
export const nextOrderOwner: RewardOwner = { discount: { title: "Thank you: your next order", codePrefix: "NEXT" } };

async function onPaid(tx: Tx, event: IntakeEvent): Promise<void> {
  const order = event.order!;
  if (!order.customerId || order.cancelledAt) return;
  const [shop] = await statementsIn(tx).query<{ settings: string; currency: string; uninstalledAt: unknown }>(
    sql`SELECT "settings", "currency", "uninstalledAt" FROM "Shop" WHERE "shop" = ${event.shop}`,
  );
  const offer = parseLoyaltySettings(shop?.settings).nextOrder;
  if (!shop || !offer.enabled || timeOf(shop.uninstalledAt)) return;
  const terms = { kind: "discount_code", valueType: offer.valueType, value: offer.value, expiresInDays: offer.expiresInDays } as const;
  await recordReward(
    tx,
    event.shop,
    orderOfferKey(order.id, offer.flow),
    { ...terms, customerId: order.customerId, orderId: order.id, currency: shop.currency },
    event.now,
  );
}

export const NEXT_ORDER_REACTIONS: readonly WebhookReaction[] = [{ topics: ["orders/paid"], react: onPaid }];
