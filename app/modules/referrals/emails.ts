// "Your friend's order earned you …": the advocate's reward, once it is theirs. Points are
// loyalty news (marketing: sent only with consent, within the frequency cap) and go out when
// posted; a code or store credit goes out once Shopify holds it, as the only place the code is
// shown, so it needs no marketing consent. The friend is never named.
import db, { type Tx } from "~/db.server";
import { formatShopTime } from "~/format";
import type { Composition, DueMessage } from "~/modules/messaging/dispatch";
import { CODE_BOX, composeNotice, discountLink, scheduleNotice } from "~/modules/messaging/notice";
import { advocateRewardName } from "./settings";

export const REFERRAL_REWARD_FLOW = "referral_reward";
export const REFERRAL_EMAIL_FLOWS = [{ id: REFERRAL_REWARD_FLOW, name: "Referral reward" }];

const TEMPLATE = {
  subject: "A friend you referred ordered: {{ reward.name }} for you",
  preheader: "Thank you for telling a friend about {{ shop.name }}.",
  body: `<p>Hi {{ customer.first_name | default: "there" }},</p>
<p>A friend you referred placed an order with us, and it has arrived and stayed. Thank you for sending them our way: here is <strong>{{ reward.name }}</strong>.</p>
{% if reward.code != "" %}${CODE_BOX}
{% button links.store %}Shop with your code{% endbutton %}
{% elsif reward.points %}<p>You now have <strong>{{ reward.balance }} points</strong>: open Rewards on the store to spend them.</p>
{% button links.store %}Visit the store{% endbutton %}
{% else %}<p>It is on your account now: sign in at checkout and it is taken off your order.</p>
{% button links.store %}Visit the store{% endbutton %}
{% endif %}<p>Your link keeps working: every friend who orders earns you another.</p>
<p>Thank you,<br>The {{ shop.name }} team</p>`,
};

const keyOf = (referralId: string) => `${REFERRAL_REWARD_FLOW}:${referralId}`;

/** Schedules the advocate's email for a referral; returns the message id. */
export function scheduleReferralReward(tx: Tx, shop: string, referral: { id: string; advocateId: string; marketing: boolean }, now: Date): Promise<string> {
  return scheduleNotice(tx, shop, {
    key: keyOf(referral.id),
    flow: REFERRAL_REWARD_FLOW,
    customerId: referral.advocateId,
    marketing: referral.marketing,
    dueAt: now,
  });
}

export function composeReferralReward(message: DueMessage, now: Date): Promise<Composition> {
  return composeNotice(message, now, async ({ shop, customer, key }) => {
    const referralId = key.slice(REFERRAL_REWARD_FLOW.length + 1);
    const referral = await db.referral.findFirst({ where: { shop: shop.shop, id: referralId, advocateId: customer.id, status: "rewarded" } });
    if (!referral) return null;
    const sourceKey = `referral:${referral.id}`;
    const [points, reward, account] = await Promise.all([
      db.loyaltyEntry.findFirst({ where: { shop: shop.shop, sourceKey }, select: { balanceDelta: true } }),
      db.reward.findFirst({ where: { shop: shop.shop, sourceKey } }),
      db.loyaltyAccount.findUnique({ where: { shop_customerId: { shop: shop.shop, customerId: customer.id } }, select: { balance: true } }),
    ]);
    const footer = `You're receiving this because you referred a friend to ${shop.name ?? shop.shop}.`;
    if (points) {
      const name = advocateRewardName({ kind: "points", value: points.balanceDelta }, shop.currency);
      const scope = {
        reward: { name, code: "", points: true, balance: (account?.balance ?? 0).toLocaleString("en") },
        links: { store: `https://${shop.shop}` },
      };
      return { template: TEMPLATE, scope, footer };
    }
    if (!reward || reward.status !== "issued" || (reward.endsAt && reward.endsAt <= now)) return null;
    const name = advocateRewardName({ kind: reward.kind === "store_credit" ? "store_credit" : "amount_off", value: reward.value }, reward.currency);
    const until = reward.endsAt ? `valid until ${formatShopTime(reward.endsAt, shop.timezone, "date")}` : "";
    const code = reward.code ?? "";
    const scope = {
      reward: { name, code, points: false, terms: [name, until].filter(Boolean).join(" · ") },
      links: { store: code ? discountLink(shop.shop, code) : `https://${shop.shop}` },
    };
    return { template: TEMPLATE, scope, footer };
  });
}
