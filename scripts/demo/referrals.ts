// The demo's referral story, four weeks after the day: Maya opens the refer-a-friend block and
// gets her code (the worker creates it in Shopify); her friend Lena follows the link, which
// puts the code on her cart, and orders; the parcel arrives; after the 30-day return window the
// worker rewards Maya with 500 points, and Maya redeems 500 of them for a $5.00 code. All of it
// through the app's real doors: the signed app proxy for the shoppers, webhooks for the orders.
import { randomUUID } from "node:crypto";
import { setNow } from "../../app/modules/clock";
import { customerPayload, fulfillmentPayload, orderPayload, toShopifyJson } from "../../dev/payloads";
import { productPage, renderBlock, startStorefront } from "../../dev/storefront";
import { sendWebhook } from "../../dev/webhooks";
import { CATALOGUE as P, CUSTOMERS as C, DEMO_SHOP, line } from "./store";

/** Maya's friend: a new customer. */
export const FRIEND = {
  id: "7207000000000001",
  email: "lena.novak@example.com",
  firstName: "Lena",
  lastName: "Novak",
  marketing: "not_subscribed",
  locale: "en",
  phone: null,
};

type Worker = (at: Date) => Promise<unknown>;
type Story = { code: string; landing: string | null; redeemed: number; balanceAfter: number; rewardCode: string | null };

/** A storefront page with the refer-a-friend block, as `customerId` (or a guest) sees it through the app proxy. */
async function storefrontAs(appUrl: string, secret: string, customerId?: string) {
  const product = { id: P.dripper.productId, title: P.dripper.title, handle: "dripper", rating: null, ratingCount: 0 };
  const block = await renderBlock("referral", product, { heading: "Give a friend a treat", accent_color: "#2c6e49" });
  const page = productPage(product.title, [block], { css: ["referral.css"], js: ["referral.js"] });
  return startStorefront({ shop: DEMO_SHOP, appUrl, page, secret, handle: product.handle, customerId });
}

export async function referAFriend(appUrl: string, secret: string, at: (day: number, hour: number) => Date, worker: Worker): Promise<Story> {
  const send = async (when: Date, topic: string, body: object) => {
    setNow(when);
    const response = await sendWebhook({ url: appUrl }, topic, toShopifyJson(body), {
      shop: DEMO_SHOP,
      webhookId: randomUUID(),
      triggeredAt: when.toISOString(),
    });
    await response.body?.cancel();
  };
  const maya = await storefrontAs(appUrl, secret, C.maya.id);
  const guest = await storefrontAs(appUrl, secret);
  try {
    setNow(at(27, 13));
    const { code } = await (await fetch(`${maya.url}/apps/aftercare/referral`)).json();
    await worker(at(27, 13)); // creates the code in Shopify
    // Lena follows Maya's link: the app sends her to Shopify's /discount/CODE, which applies it.
    const followed = await fetch(`${guest.url}/apps/aftercare/r/${code}`, { redirect: "manual" });
    const landing = followed.headers.get("location");

    await send(at(27, 15), "customers/create", customerPayload({ ...FRIEND, updatedAt: at(27, 15).toISOString() }));
    const order = orderPayload({ number: 1007, customer: FRIEND, createdAt: at(27, 16).toISOString(), lines: [line(P.dripper), line(P.house)] });
    order.discount_codes = [{ code, amount: "4.30", type: "percentage" }];
    // Her own door: Shopify's sample address is every demo order's, and a friend shipping to the advocate's address waits for the merchant.
    order.shipping_address = { ...order.shipping_address, first_name: "Lena", last_name: "Novak", name: "Lena Novak", address1: "18 Birch Road", zip: "40207" };
    await send(at(27, 16), "orders/create", order);
    await send(at(27, 16), "orders/paid", { ...order, updated_at: at(27, 16).toISOString() });
    const parcel = fulfillmentPayload(order.id, { createdAt: at(28, 10).toISOString(), lineItems: order.line_items });
    await send(at(28, 10), "fulfillments/create", parcel);
    await send(at(30, 14), "fulfillments/update", { ...parcel, shipment_status: "delivered", updated_at: at(30, 14).toISOString() });
    await worker(at(30, 18));
    // Thirty days after the delivery: Lena's order stood, Maya is rewarded.
    await worker(at(61, 11));

    setNow(at(61, 12));
    const redeem = await fetch(`${maya.url}/apps/aftercare/loyalty/redeem`, { method: "POST", body: new URLSearchParams({ reward_id: "amount-off-500" }) });
    const redeemed = redeem.status === 201 ? ((await redeem.json()) as { redemption: { points: number }; balance: number }) : null;
    await worker(at(61, 12)); // creates Maya's $5.00 code in Shopify
    const panel = await (await fetch(`${maya.url}/apps/aftercare/loyalty`)).json();
    return {
      code,
      landing,
      redeemed: redeemed?.redemption.points ?? 0,
      balanceAfter: panel.customer?.balance ?? 0,
      rewardCode: panel.redemptions?.[0]?.code ?? null,
    };
  } finally {
    await maya.close();
    await guest.close();
  }
}
