// A realistic day at the demo shop, as the webhooks Shopify would send: customers sign up,
// orders are placed and paid, parcels ship and arrive, a mug arrives broken and is refunded,
// an order is cancelled, Shopify retries a delivery, and two deliveries arrive out of order.
import { randomUUID } from "node:crypto";
import { setNow } from "../../app/modules/clock";
import { sendWebhook } from "../../dev/webhooks";
import { customerPayload, fulfillmentPayload, orderPayload, refundPayload, toShopifyJson } from "../../dev/payloads";
import { CATALOGUE as P, CUSTOMERS as C, DEMO_SHOP, line } from "./store";

export type Step = { minute: number; topic: string; what: string; body: object; webhookId?: string };
export type Sent = Step & { at: Date; status: number; webhookId: string };

/** Steps of the day, `minute` counted from when the shop opens. */
export function demoDay(opensAt: Date): Step[] {
  const time = (minute: number) => new Date(opensAt.getTime() + minute * 60_000).toISOString();
  const steps: Step[] = [];
  const add = (minute: number, topic: string, what: string, body: object, webhookId?: string) => steps.push({ minute, topic, what, body, webhookId });

  for (const [i, customer] of Object.values(C).entries()) {
    add(i * 7, "customers/create", `${customer.firstName} ${customer.lastName} creates an account`, customerPayload({ ...customer, updatedAt: time(i * 7) }));
  }

  const maya = orderPayload({ number: 1001, customer: C.maya, createdAt: time(50), lines: [line(P.ethiopia, 2), line(P.filters)] });
  add(50, "orders/create", "Maya orders beans and filters (#1001)", maya);
  add(51, "orders/paid", "#1001 is paid", { ...maya, updated_at: time(51) });

  const tomas = orderPayload({ number: 1002, customer: C.tomas, createdAt: time(95), lines: [line(P.grinder), line(P.mug, 2)] });
  add(95, "orders/create", "Tomás orders a grinder and two mugs (#1002)", tomas);
  add(96, "orders/paid", "#1002 is paid", { ...tomas, updated_at: time(96) });

  const ama = orderPayload({ number: 1003, customer: C.ama, createdAt: time(140), financialStatus: "pending", lines: [line(P.house), line(P.dripper)] });
  add(140, "orders/create", "Ama orders espresso and a dripper, paying by bank transfer (#1003)", ama);
  const amaPaid = { ...ama, financial_status: "paid", updated_at: time(210) };
  const amaPaidId = randomUUID();
  add(210, "orders/paid", "#1003's transfer clears", amaPaid, amaPaidId);

  const mayaParcel = fulfillmentPayload(maya.id, {
    createdAt: time(180),
    lineItems: maya.line_items,
    tracking: { company: "UPS", number: "1Z999AA10123456784" },
  });
  add(180, "fulfillments/create", "#1001 ships with UPS", mayaParcel);
  add(300, "fulfillments/update", "UPS reports #1001 out for delivery", { ...mayaParcel, shipment_status: "out_for_delivery", updated_at: time(300) });
  add(390, "fulfillments/update", "UPS reports #1001 delivered", { ...mayaParcel, shipment_status: "delivered", updated_at: time(390) });

  const tomasParcel = fulfillmentPayload(tomas.id, {
    createdAt: time(200),
    lineItems: tomas.line_items,
    tracking: { company: "USPS", number: "9400111899223197428490" },
  });
  add(200, "fulfillments/create", "#1002 ships with USPS", tomasParcel);

  const mug = tomas.line_items.find((item: { sku: string }) => item.sku === P.mug.sku);
  add(
    260,
    "refunds/create",
    "One of Tomás's mugs arrived chipped: refunded and returned",
    refundPayload(tomas, {
      items: [{ lineItem: mug, quantity: 1, restockType: "return" }],
      createdAt: time(260),
      note: "Chipped in transit",
    }),
  );

  const jonas = orderPayload({ number: 1004, customer: C.jonas, createdAt: time(320), lines: [line(P.decaf, 3)] });
  add(320, "orders/create", "Jonas orders decaf (#1004)", jonas);
  add(321, "orders/paid", "#1004 is paid", { ...jonas, updated_at: time(321) });
  const cancelled = { ...jonas, cancelled_at: time(345), cancel_reason: "customer", financial_status: "refunded", updated_at: time(345) };
  add(345, "orders/cancelled", "Jonas cancels #1004 before it ships", cancelled);
  add(
    346,
    "refunds/create",
    "#1004 is refunded in full",
    refundPayload(jonas, {
      items: jonas.line_items.map((item: object) => ({ lineItem: item, quantity: 3, restockType: "cancel" })),
      createdAt: time(346),
    }),
  );

  // Shopify retries a delivery it thinks failed: the same X-Shopify-Webhook-Id again.
  add(360, "orders/paid", "Shopify retries #1003's payment webhook (a duplicate)", amaPaid, amaPaidId);

  // Out of order: the warehouse's fulfillment outruns the order webhook.
  const priya = orderPayload({ number: 1005, customer: C.priya, createdAt: time(400), lines: [line(P.ethiopia), line(P.mug)] });
  add(
    405,
    "fulfillments/create",
    "#1005 ships before its order webhook arrives",
    fulfillmentPayload(priya.id, { createdAt: time(405), lineItems: priya.line_items }),
  );
  add(406, "orders/create", "…then Priya's order #1005 arrives", priya);
  add(407, "orders/paid", "#1005 is paid", { ...priya, updated_at: time(401) });

  // A late, older copy of #1001 must not roll back its newer state.
  add(420, "orders/updated", "A stale #1001 update arrives late", { ...maya, financial_status: "pending", updated_at: time(49) });

  add(480, "customers/update", "Eli subscribes to the newsletter", customerPayload({ ...C.eli, marketing: "subscribed", updatedAt: time(480) }));

  const eli = orderPayload({
    number: 1006,
    customer: { ...C.eli, marketing: "subscribed" },
    createdAt: time(500),
    lines: [line(P.house, 2), line(P.filters, 2)],
  });
  add(500, "orders/create", "Eli orders espresso and filters (#1006)", eli);
  add(501, "orders/paid", "#1006 is paid", { ...eli, updated_at: time(501) });

  // Jonas asks, through Shopify, for the data the shop holds about him.
  add(540, "customers/data_request", "Jonas asks what the shop holds about him", {
    shop_id: 60_000_001,
    shop_domain: DEMO_SHOP,
    customer: { id: C.jonas.id, email: C.jonas.email, phone: null },
    orders_requested: [jonas.id],
    data_request: { id: 4_001 },
  });

  return steps.sort((a, b) => a.minute - b.minute);
}

/** Sends each step as a signed delivery through the app's real webhook endpoints, in order, the app's clock at the step's moment. */
export async function replayDay(app: { url: string }, shop: string, opensAt: Date): Promise<Sent[]> {
  const sent: Sent[] = [];
  for (const step of demoDay(opensAt)) {
    const at = new Date(opensAt.getTime() + step.minute * 60_000);
    setNow(at);
    const webhookId = step.webhookId ?? randomUUID();
    const response = await sendWebhook(app, step.topic, toShopifyJson(step.body), { shop, webhookId, triggeredAt: at.toISOString() });
    await response.body?.cancel();
    sent.push({ ...step, at, status: response.status, webhookId });
  }
  return sent;
}
