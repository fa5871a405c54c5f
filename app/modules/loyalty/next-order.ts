// The next-order offer (off until the merchant turns it on): a paid order of a known customer
// earns a one-use code for their next order, recorded in the intake transaction, created in
// Shopify by the rewards module, and shown in the order's thank-you or goes-well-with email,
// which waits a few minutes for the code if it has to. Once per order, whatever the webhooks do.
import type { Tx } from "~/db.server";
import type { IntakeEvent } from "~/modules/intake";
import { orderOfferKey, recordReward, type RewardOwner } from "~/modules/rewards";
import type { NextOrderSettings } from "./settings-form";

/** The owner of next-order codes, as their sourceKey names it ("offer:<order id>:<flow>"). */
export const NEXT_ORDER_OWNER = "offer";
export const nextOrderOwner: RewardOwner = { discount: { title: "Thank you: your next order", codePrefix: "NEXT" } };

/** Records the offer a paid order earns, when the shop makes one; called with loyalty's earning, which has read the shop. */
export async function recordNextOrderOffer(tx: Tx, event: IntakeEvent, offer: NextOrderSettings, currency: string): Promise<void> {
  const order = event.order!;
  if (!offer.enabled || !order.customerId || order.cancelledAt) return;
  const terms = { kind: "discount_code", valueType: offer.valueType, value: offer.value, expiresInDays: offer.expiresInDays } as const;
  await recordReward(tx, event.shop, orderOfferKey(order.id, offer.flow), { ...terms, customerId: order.customerId, orderId: order.id, currency }, event.now);
}
