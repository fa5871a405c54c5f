// A goodwill gesture given from a conversation: loyalty points (posted at once), a one-use code
// for an amount or a percentage off, or store credit (issued in Shopify by the rewards module),
// once per conversation. The thread records it; an email tells the customer, with the code,
// once Shopify holds it (points: at once).
import { randomUUID } from "node:crypto";
import db, { type Tx } from "~/db.server";
import { formatShopTime } from "~/format";
import { parseLoyaltySettings, post } from "~/modules/loyalty";
import type { Composition, DueMessage } from "~/modules/messaging/dispatch";
import { CODE_BOX, composeNotice, discountLink, scheduleNotice } from "~/modules/messaging/notice";
import { recordReward, type Reward, type RewardOwner } from "~/modules/rewards";
import { goodwillName, goodwillOfReward, goodwillTerms, type Goodwill } from "~/modules/promises";

export const GIFT_OWNER = "gift";
export const GIFT_FLOW = "conversation_gift";
const giftKey = (caseId: string) => `${GIFT_OWNER}:${caseId}`;

export type GiftResult = "given" | "not_found" | "no_customer" | "already_given" | "no_loyalty";

async function scheduleGiftEmail(tx: Tx, shop: string, caseId: string, customerId: string, now: Date): Promise<string> {
  return scheduleNotice(tx, shop, { key: `${GIFT_FLOW}:${caseId}`, flow: GIFT_FLOW, customerId, marketing: false, dueAt: now });
}

/** Gives `gift` to the conversation's customer, once; the thread says what was given. */
export async function giveConversationGift(
  shop: string,
  caseId: string,
  gift: Exclude<Goodwill, { kind: "none" }>,
  actor: string | null,
  now: Date,
): Promise<GiftResult> {
  return db.$transaction(async (tx) => {
    const conversation = await tx.customerCase.findFirst({ where: { shop, id: caseId }, select: { customerId: true, orderId: true } });
    if (!conversation) return "not_found";
    const { customerId } = conversation;
    if (!customerId) return "no_customer";
    const sourceKey = giftKey(caseId);
    if ((await tx.reward.count({ where: { shop, sourceKey } })) + (await tx.loyaltyEntry.count({ where: { shop, sourceKey } })) > 0) return "already_given";
    const shopRow = await tx.shop.findUnique({ where: { shop }, select: { settings: true, currency: true } });
    const currency = shopRow?.currency ?? "USD";
    if (gift.kind === "points") {
      if (parseLoyaltySettings(shopRow?.settings).status === "off") return "no_loyalty";
      await post(tx, shop, { sourceKey, customerId, kind: "bonus", pendingDelta: 0, balanceDelta: gift.value, reason: "A gift from the store" }, now);
      await scheduleGiftEmail(tx, shop, caseId, customerId, now);
    } else {
      await recordReward(tx, shop, sourceKey, goodwillTerms(gift, { customerId, orderId: conversation.orderId, currency }), now);
    }
    await tx.caseMessage.create({
      data: { id: randomUUID(), shop, caseId, customerId, author: "note", body: `Gift given: ${goodwillName(gift, currency)}`, actor, createdAt: now },
    });
    return "given";
  });
}

/** A code or credit is told of once Shopify holds it. */
export const giftOwner: RewardOwner = {
  discount: { title: "A gift from the store", codePrefix: "GIFT" },
  issued: (tx, reward: Reward, now) => scheduleGiftEmail(tx, reward.shop, reward.sourceKey.slice(GIFT_OWNER.length + 1), reward.customerId, now),
};

const TEMPLATE = {
  subject: "A little something from {{ shop.name }}",
  preheader: "{{ gift.name }}, with our thanks.",
  body: `<p>Hi {{ customer.first_name | default: "there" }},</p>
<p>Thank you for telling us how things went. To say so properly, here is <strong>{{ gift.name }}</strong>{% if reward.code == "" %}: {{ gift.how }}{% endif %}.</p>
{% if reward.code != "" %}${CODE_BOX}
{% button gift.link %}Use it on your next order{% endbutton %}{% endif %}
<p>The {{ shop.name }} team</p>`,
};

export function composeConversationGift(message: DueMessage, now: Date): Promise<Composition> {
  return composeNotice(message, now, async ({ shop, customer, key }) => {
    const sourceKey = giftKey(key.slice(GIFT_FLOW.length + 1));
    const points = await db.loyaltyEntry.findFirst({ where: { shop: shop.shop, sourceKey, customerId: customer.id }, select: { balanceDelta: true } });
    const base = { code: "", terms: "", link: `https://${shop.shop}`, how: "" };
    if (points) {
      const gift = { ...base, name: `${points.balanceDelta.toLocaleString("en")} points`, how: "they are in your rewards balance already" };
      return { template: TEMPLATE, scope: { gift, reward: gift }, footer: `You're receiving this because you wrote to ${shop.name ?? shop.shop}.` };
    }
    const reward = await db.reward.findFirst({ where: { shop: shop.shop, sourceKey, customerId: customer.id, status: "issued" } });
    if (!reward) return null;
    const name = goodwillName(goodwillOfReward(reward), reward.currency);
    const code = reward.code ?? "";
    const until = reward.endsAt ? `valid until ${formatShopTime(reward.endsAt, shop.timezone, "date")}` : "";
    const gift = {
      name,
      code,
      terms: [name, until].filter(Boolean).join(" · "),
      link: code ? discountLink(shop.shop, code) : `https://${shop.shop}`,
      how: "it is on your account now: sign in at checkout and it comes off your order",
    };
    return { template: TEMPLATE, scope: { gift, reward: gift }, footer: `You're receiving this because you wrote to ${shop.name ?? shop.shop}.` };
  });
}
