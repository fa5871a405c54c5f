// Loyalty's emails. "Your reward is ready" sends the code (or says the store credit is on the
// account) once Shopify holds it: the customer asked for it, so it needs no marketing consent.
// "Your points are ready" (an order's points approved), "your tier changed" and "your points
// expire soon" are loyalty news: marketing, sent only with consent and within the frequency cap.
import db, { directStatements, type Tx } from "~/db.server";
import { formatMoney, formatShopTime } from "~/format";
import type { Composition, DueMessage } from "~/modules/messaging/dispatch";
import { CODE_BOX, composeNotice, discountLink, scheduleNotice } from "~/modules/messaging/notice";
import { parseLoyaltySettings, rewardName } from "./settings";
import { expiresAt, POINTS_EXPIRING_FLOW } from "./expiry";
import { spendOf, TIER_CHANGE_FLOW } from "./tiers";

export const LOYALTY_REWARD_FLOW = "loyalty_reward";
export const POINTS_APPROVED_FLOW = "points_approved";
export const LOYALTY_EMAIL_FLOWS = [
  { id: LOYALTY_REWARD_FLOW, name: "Loyalty reward ready" },
  { id: POINTS_APPROVED_FLOW, name: "Points approved" },
  { id: TIER_CHANGE_FLOW, name: "Loyalty tier change" },
  { id: POINTS_EXPIRING_FLOW, name: "Points expiring" },
];

const EXPIRING_TEMPLATE = {
  subject: "Your {{ points.balance }} points expire on {{ points.expires }}",
  preheader: "Spend them, or earn a few more, and they stay yours.",
  body: `<p>Hi {{ customer.first_name | default: "there" }},</p>
<p>You have <strong>{{ points.balance }} points</strong> at {{ shop.name }}. Points expire after {{ points.months }} without activity, so yours will expire on <strong>{{ points.expires }}</strong>.</p>
{% if next.affordable %}<p>That is enough for <strong>{{ next.name }}</strong>: open Rewards on the store to redeem it.</p>
{% else %}<p>Any order before then keeps every one of them.</p>
{% endif %}{% button links.store %}Visit the store{% endbutton %}
<p>Thank you,<br>The {{ shop.name }} team</p>`,
};

export function composePointsExpiring(message: DueMessage, now: Date): Promise<Composition> {
  return composeNotice(
    message,
    now,
    async ({ shop, customer, key }) => {
      const settings = parseLoyaltySettings(shop.settings);
      const account = await db.loyaltyAccount.findUnique({ where: { shop_customerId: { shop: shop.shop, customerId: customer.id } } });
      const stretch = Number(key.split(":").at(-1));
      // Active since the warning was written (the stretch ended), or nothing left: nothing to say.
      if (!settings.expiry.enabled || !account || account.balance <= 0 || account.updatedAt.getTime() !== stretch) return null;
      const affordable = [...settings.rewards].sort((a, b) => b.points - a.points).find((r) => r.points <= account.balance);
      return {
        template: EXPIRING_TEMPLATE,
        scope: {
          points: {
            balance: account.balance.toLocaleString("en"),
            months: `${settings.expiry.months} month${settings.expiry.months === 1 ? "" : "s"}`,
            expires: formatShopTime(expiresAt(account.updatedAt, settings.expiry.months), shop.timezone, "date"),
          },
          next: { affordable: Boolean(affordable), name: affordable ? rewardName(affordable, shop.currency) : "" },
          links: { store: `https://${shop.shop}` },
        },
        footer: `You're receiving this because you're a member of ${shop.name ?? shop.shop}'s rewards program and said yes to its emails.`,
      };
    },
    "the member was active since, or has no points left",
  );
}

const KIND_OF_VALUE_TYPE = { percentage: "percent_off", free_shipping: "free_shipping", fixed_amount: "amount_off" } as const;

/** "$5.00 off", "10% off", "Free shipping", "$5.00 store credit": a reward Shopify holds, named as the catalogue names it. */
export function heldRewardName(reward: { kind: string; valueType: string; value: number; currency: string }): string {
  const kind = reward.kind === "store_credit" ? "store_credit" : (KIND_OF_VALUE_TYPE[reward.valueType as keyof typeof KIND_OF_VALUE_TYPE] ?? "amount_off");
  return rewardName({ kind, value: reward.value }, reward.currency);
}

const REWARD_TEMPLATE = {
  subject: "Your reward is ready: {{ reward.name }}",
  preheader: "{% if reward.code %}Your code {{ reward.code }}: {{ reward.terms }}.{% else %}It is on your account, used at checkout.{% endif %}",
  body: `<p>Hi {{ customer.first_name | default: "there" }},</p>
<p>You spent {{ reward.points }} points on <strong>{{ reward.name }}</strong>. Here it is:</p>
{% if reward.code %}${CODE_BOX}
{% button links.store %}Shop with your code{% endbutton %}
<p style="font-size:14px;color:#6d7175">The button takes you to the store with the code already applied, or type it at checkout. It is yours alone: use it once, with this email address.</p>
{% else %}<p><strong>{{ reward.name }}</strong> is on your account now. Sign in at checkout and it is taken off your order{% if reward.terms != "" %} ({{ reward.terms }}){% endif %}.</p>
{% button links.store %}Visit the store{% endbutton %}
{% endif %}<p>Thank you for coming back,<br>The {{ shop.name }} team</p>`,
};

const APPROVED_TEMPLATE = {
  subject: "{{ points.approved }} points are yours to spend",
  preheader: "You now have {{ points.balance }} points at {{ shop.name }}.",
  body: `<p>Hi {{ customer.first_name | default: "there" }},</p>
<p>The return window of your order {{ order.name }} has passed, so its <strong>{{ points.approved }} points</strong> are now yours to spend. You have <strong>{{ points.balance }} points</strong> in all.</p>
{% if next.affordable %}<p>That is enough for <strong>{{ next.name }}</strong> ({{ next.points }} points): open Rewards on the store to redeem it.</p>
{% elsif next.name %}<p>{{ next.missing }} more points and you can have <strong>{{ next.name }}</strong>.</p>
{% endif %}{% button links.store %}Visit the store{% endbutton %}
<p>Thank you,<br>The {{ shop.name }} team</p>`,
};

const TIER_TEMPLATE = {
  subject: "{% if tier.up %}You're now {{ tier.name }} at {{ shop.name }}{% else %}Your rewards tier is now {{ tier.name }}{% endif %}",
  preheader: "{% if tier.up %}Every order now earns {{ tier.multiplier }}× points.{% else %}Spend {{ tier.back }} to be {{ tier.previous }} again.{% endif %}",
  body: `<p>Hi {{ customer.first_name | default: "there" }},</p>
{% if tier.up %}<p>Thank you for all your orders this year: you've reached <strong>{{ tier.name }}</strong>. From now on every order earns <strong>{{ tier.multiplier }}× points</strong>.</p>
{% if tier.perks != "" %}<p>As {{ tier.name }} you also get: {{ tier.perks }}</p>{% endif %}
{% else %}<p>Tiers follow what you spent in the last 12 months, and some of your orders are now older than that, so your tier is <strong>{{ tier.name }}</strong>. Your points are all still yours.</p>
{% if tier.back != "" %}<p>Spend {{ tier.back }} in the next 12 months to be {{ tier.previous }} again.</p>{% endif %}
{% endif %}{% button links.store %}Visit the store{% endbutton %}
<p>Thank you,<br>The {{ shop.name }} team</p>`,
};

export function composeTierChange(message: DueMessage, now: Date): Promise<Composition> {
  return composeNotice(message, now, async ({ shop, customer, key }) => {
    const settings = parseLoyaltySettings(shop.settings);
    const account = await db.loyaltyAccount.findUnique({ where: { shop_customerId: { shop: shop.shop, customerId: customer.id } } });
    const list = settings.tiers.list;
    const tier = list.find((t) => t.id === account?.tier);
    // Only the latest move is told: an older one the member has moved on from is not.
    const latest = await db.loyaltyEntry.findFirst({ where: { shop: shop.shop, customerId: customer.id, kind: "tier" }, orderBy: { createdAt: "desc" } });
    if (!settings.tiers.enabled || !tier || !latest || key !== `${TIER_CHANGE_FLOW}:${latest.sourceKey}`) return null;
    const up = latest.reason.startsWith("Moved up");
    const previous = list[list.indexOf(tier) + 1];
    const spend = await spendOf(directStatements, shop.shop, customer.id, now);
    return {
      template: TIER_TEMPLATE,
      scope: {
        tier: {
          up,
          name: tier.name,
          multiplier: String(tier.multiplier / 100),
          perks: tier.perks,
          previous: previous?.name ?? "",
          back: !up && previous ? formatMoney(Math.max(0, previous.threshold - spend), shop.currency) : "",
        },
        links: { store: `https://${shop.shop}` },
      },
      footer: `You're receiving this because you're a member of ${shop.name ?? shop.shop}'s rewards program and said yes to its emails.`,
    };
  });
}

/** Schedules "your reward is ready" for a redemption Shopify now holds; returns the message id. */
export function scheduleRewardReady(tx: Tx, reward: { shop: string; id: string; customerId: string }, now: Date): Promise<string> {
  return scheduleNotice(tx, reward.shop, {
    key: `${LOYALTY_REWARD_FLOW}:${reward.id}`,
    flow: LOYALTY_REWARD_FLOW,
    customerId: reward.customerId,
    marketing: false,
    dueAt: now,
  });
}

/** Schedules "your points are ready" for an order whose points were just approved. */
export async function schedulePointsApproved(tx: Tx, shop: string, approval: { orderId: string; customerId: string }, now: Date): Promise<void> {
  const key = `${POINTS_APPROVED_FLOW}:${approval.orderId}`;
  await scheduleNotice(tx, shop, { key, flow: POINTS_APPROVED_FLOW, customerId: approval.customerId, orderId: approval.orderId, marketing: true, dueAt: now });
}

export function composeRewardReady(message: DueMessage, now: Date): Promise<Composition> {
  return composeNotice(
    message,
    now,
    async ({ shop }) => {
      const reward = await db.reward.findFirst({ where: { shop: shop.shop, messageId: message.id } });
      if (!reward || reward.status !== "issued" || (reward.endsAt && reward.endsAt <= now)) return null;
      const spent = await db.loyaltyEntry.findFirst({
        where: { shop: shop.shop, sourceKey: `redeem:${reward.sourceKey.slice(reward.sourceKey.indexOf(":") + 1)}` },
        select: { balanceDelta: true },
      });
      const until = reward.endsAt ? `valid until ${formatShopTime(reward.endsAt, shop.timezone, "date")}` : "";
      const name = heldRewardName(reward);
      return {
        template: REWARD_TEMPLATE,
        scope: {
          reward: {
            name,
            code: reward.code ?? "",
            points: -(spent?.balanceDelta ?? 0),
            terms: reward.code ? [name, until].filter(Boolean).join(" · ") : until,
          },
          links: { store: reward.code ? discountLink(shop.shop, reward.code) : `https://${shop.shop}` },
        },
        footer: `You're receiving this because you redeemed points at ${shop.name ?? shop.shop}.`,
      };
    },
    "the reward is no longer held",
  );
}

export function composePointsApproved(message: DueMessage, now: Date): Promise<Composition> {
  return composeNotice(message, now, async ({ shop, customer }) => {
    if (!message.orderId) return null;
    const [approval, account, order] = await Promise.all([
      db.loyaltyEntry.findFirst({ where: { shop: shop.shop, sourceKey: `order:${message.orderId}:approve`, customerId: customer.id } }),
      db.loyaltyAccount.findUnique({ where: { shop_customerId: { shop: shop.shop, customerId: customer.id } } }),
      db.order.findUnique({ where: { shop_id: { shop: shop.shop, id: message.orderId } }, select: { name: true } }),
    ]);
    if (!approval || !account || account.balance <= 0) return null;
    const settings = parseLoyaltySettings(shop.settings);
    if (settings.status === "off") return null;
    // The reward to mention: the dearest one they can have now, else the cheapest they are saving for.
    const byCost = [...settings.rewards].sort((a, b) => a.points - b.points);
    const affordable = byCost.filter((r) => r.points <= account.balance).at(-1);
    const next = affordable ?? byCost[0];
    return {
      template: APPROVED_TEMPLATE,
      scope: {
        points: { approved: approval.balanceDelta.toLocaleString("en"), balance: account.balance.toLocaleString("en") },
        order: { name: order?.name ?? "" },
        next: next
          ? {
              affordable: Boolean(affordable),
              name: rewardName(next, shop.currency),
              points: next.points.toLocaleString("en"),
              missing: (next.points - account.balance).toLocaleString("en"),
            }
          : { affordable: false, name: "" },
        links: { store: `https://${shop.shop}` },
      },
      footer: `You're receiving this because you're a member of ${shop.name ?? shop.shop}'s rewards program and said yes to its emails.`,
    };
  });
}
