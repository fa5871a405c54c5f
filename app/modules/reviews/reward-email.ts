// The email that sends a review's reward: the code large and easy to copy, what it is worth,
// when it expires, and a link to the store that applies it. Transactional (no marketing consent
// needed), but never to an address that unsubscribed, and inside the shop's send window. Rendered
// through the same Liquid engine and store layout as the follow-ups, so every value is escaped.
import db from "~/db.server";
import { formatShopTime } from "~/format";
import { isUnsubscribed } from "~/modules/messaging/consent";
import type { Composition, DueMessage } from "~/modules/messaging/dispatch";
import { linkMaker } from "~/modules/messaging/links";
import { CODE_BOX, discountLink } from "~/modules/messaging/notice";
import { renderEmail } from "~/modules/messaging/render";
import { brandOf, parseEmailSettings } from "~/modules/messaging/settings";
import { nextSendTime } from "~/modules/messaging/timing";
import { knownAddresses, reviewIdOf } from "./rewards";
import { rewardWorth } from "./settings-form";

const TEMPLATE = {
  subject: "Thanks for your review — here is {{ reward.worth }} off your next order",
  preheader: "Your code {{ reward.code }}: {{ reward.worth }} off, until {{ reward.expires }}.",
  body: `<p>Hi {{ customer.first_name | default: "there" }},</p>
<p>Thank you for reviewing {{ reward.product }}. Your review is live on our store now, helping the next customer decide.</p>
<p>As a thank-you, here is <strong>{{ reward.worth }} off</strong> your next order with this code:</p>
${CODE_BOX}
{% button links.store %}Shop with your code{% endbutton %}
<p style="font-size:14px;color:#6d7175">The button takes you to the store with the code already applied, or type it at checkout. It is yours alone: use it once, with this email address, by {{ reward.expires }}.</p>
<p>Thank you again,<br>The {{ shop.name }} team</p>`,
};

export async function composeReviewReward(message: DueMessage, now: Date): Promise<Composition> {
  const shop = await db.shop.findUnique({ where: { shop: message.shop } });
  if (!shop || shop.uninstalledAt) return { kind: "skip", status: "cancelled", reason: "app uninstalled" };
  const reward = await db.reward.findFirst({ where: { shop: shop.shop, messageId: message.id } });
  if (!reward?.code || !reward.endsAt) return { kind: "skip", status: "cancelled", reason: "the reward is no longer held" };
  if (reward.endsAt <= now) return { kind: "skip", status: "suppressed", reason: "the code expired before it could be sent" };
  const [to] = await knownAddresses(db, shop.shop, [reward]);
  if (!to) return { kind: "skip", status: "suppressed", reason: "no email address" };
  if (await isUnsubscribed(db, shop.shop, to)) return { kind: "skip", status: "suppressed", reason: "unsubscribed" };
  const settings = parseEmailSettings(shop.settings);
  const slot = nextSendTime(now, shop.timezone, settings.sendWindow);
  if (slot > now) return { kind: "later", dueAt: slot, reason: "outside the send window" };

  const [customer, review] = await Promise.all([
    db.customer.findUnique({ where: { shop_id: { shop: shop.shop, id: reward.customerId } }, select: { firstName: true } }),
    db.review.findFirst({ where: { shop: shop.shop, id: reviewIdOf(reward.sourceKey) }, select: { productTitle: true } }),
  ]);
  const brand = brandOf(shop, settings);
  const unsubscribe = linkMaker(shop.shop, message.id, now)("unsubscribe", "unsubscribe");
  const worth = rewardWorth({ valueType: reward.valueType === "fixed_amount" ? "fixed_amount" : "percentage", value: reward.value }, reward.currency);
  const expires = formatShopTime(reward.endsAt, shop.timezone, "date");
  const scope = {
    customer: { first_name: customer?.firstName ?? "" },
    shop: { name: brand.name },
    brand: { color: brand.color },
    reward: {
      code: reward.code,
      worth,
      expires,
      terms: `${worth} off everything · valid until ${expires}`,
      product: review?.productTitle ?? "your purchase",
    },
    links: { store: discountLink(shop.shop, reward.code) },
  };
  const footer = `You're receiving this because you reviewed a product from ${brand.name}.`;
  const { subject, html, text } = await renderEmail(TEMPLATE, scope, { brand, footer, unsubscribeUrl: unsubscribe });
  return {
    kind: "send",
    to,
    subject,
    html,
    text,
    fromName: brand.name,
    replyTo: shop.contactEmail,
    unsubscribeUrl: unsubscribe,
    productIds: [],
  };
}
