// The apology for a broken delivery promise: what went wrong in plain words, when the order
// is now expected, and the goodwill gesture when the shop gives one. Service, not marketing: it
// needs no marketing consent. It is checked again when it goes: never for an order cancelled
// since, nor for one that turned out to have left in time; a goodwill code is waited for (up to
// ten minutes) so that the apology carries it.
import db from "~/db.server";
import { formatMoney } from "~/format";
import type { Composition, DueMessage } from "~/modules/messaging/dispatch";
import { CODE_BOX, composeNotice, discountLink, type NoticeContent, type NoticeWait } from "~/modules/messaging/notice";
import { APOLOGY_FLOW, BREACH_KINDS, type BreachKind } from "./watch";

export const APOLOGY_FLOWS = [{ id: APOLOGY_FLOW, name: "Delay apology" }];

const CODE_WAIT_MS = 10 * 60_000;

const TEMPLATE = {
  subject: "{{ apology.subject }}",
  preheader: "{{ apology.next }}",
  body: `<p>Hi {{ customer.first_name | default: "there" }},</p>
<p>{{ apology.what }}</p>
<p>{{ apology.next }}</p>
{% if goodwill.name != "" %}<p>To make up for it: <strong>{{ goodwill.name }}</strong>{% if goodwill.code == "" %}, {{ goodwill.how }}{% endif %}.</p>
{% if goodwill.code != "" %}${CODE_BOX}
{% button goodwill.link %}Use it on your next order{% endbutton %}{% endif %}{% endif %}
<p>If you would rather not wait, or anything else is wrong, just reply to this email: a person reads it.</p>
<p>Sorry again,<br>The {{ shop.name }} team</p>`,
};

const longDate = (at: Date, zone: string) => new Intl.DateTimeFormat("en", { timeZone: zone, weekday: "long", month: "long", day: "numeric" }).format(at);
/** A deadline is the first instant of the next day: the day it ends is the one before. */
const dayEnding = (deadline: Date, zone: string) => longDate(new Date(deadline.getTime() - 1), zone);

type Facts = { order: string; kind: BreachKind; dispatchBy: Date; deliverBy: Date; shippedAt: Date | null; expectedBy: Date; zone: string };

/** What the apology says, by how the promise broke. */
export function apologyWords(f: Facts): { subject: string; what: string; next: string } {
  const expected = `You can now expect it by ${dayEnding(f.expectedBy, f.zone)}.`;
  switch (f.kind) {
    case "late_dispatch":
      return f.shippedAt
        ? {
            subject: `Your order ${f.order} left us late: we're sorry`,
            what: `We promised to send your order ${f.order} by ${dayEnding(f.dispatchBy, f.zone)}, and it only left us on ${longDate(f.shippedAt, f.zone)}. That's on us, and we're sorry.`,
            next: `It's on its way now. ${expected}`,
          }
        : {
            subject: `Your order ${f.order} is running late: we're sorry`,
            what: `We promised to send your order ${f.order} by ${dayEnding(f.dispatchBy, f.zone)}, and it hasn't left us yet. That's on us, and we're sorry.`,
            next: `We're on it: it will leave us by the end of the next working day, and you'll get the tracking link as soon as it does. ${expected}`,
          };
    case "late_delivery":
      return {
        subject: `Your order ${f.order} is taking longer than it should`,
        what: `Your order ${f.order} should have reached you by ${dayEnding(f.deliverBy, f.zone)}, and the carrier still shows it on its way. We're sorry for the wait.`,
        next: `We're keeping an eye on it with the carrier. ${expected}`,
      };
    case "delivery_failed":
      return {
        subject: `The carrier couldn't deliver your order ${f.order}`,
        what: `The carrier tried to deliver your order ${f.order} and couldn't. We're sorry for the trouble.`,
        next: `The carrier's tracking page says what happens next (another attempt, or a pickup point). ${expected}`,
      };
  }
}

type GoodwillScope = { name: string; code: string; terms: string; how: string; link: string };
const NO_GOODWILL: GoodwillScope = { name: "", code: "", terms: "", how: "", link: "" };

/** The goodwill the apology tells of: a code once Shopify holds it ("wait" until then, for a while). */
async function goodwillScope(shop: { shop: string; currency: string }, sourceKey: string | null, age: number): Promise<GoodwillScope | "wait"> {
  if (!sourceKey) return NO_GOODWILL;
  const points = await db.loyaltyEntry.findFirst({ where: { shop: shop.shop, sourceKey }, select: { balanceDelta: true } });
  if (points) return { ...NO_GOODWILL, name: `${points.balanceDelta.toLocaleString("en")} points`, how: "added to your rewards balance already" };
  const reward = await db.reward.findFirst({ where: { shop: shop.shop, sourceKey } });
  if (!reward) return NO_GOODWILL;
  if (reward.status === "recorded" || reward.status === "issuing") return age < CODE_WAIT_MS ? "wait" : NO_GOODWILL;
  if (reward.status !== "issued") return NO_GOODWILL;
  if (reward.kind === "store_credit")
    return {
      ...NO_GOODWILL,
      name: `${formatMoney(reward.value, reward.currency)} store credit`,
      how: "on your account now: sign in at checkout and it comes off your order",
    };
  const worth = reward.valueType === "percentage" ? `${reward.value}% off` : `${formatMoney(reward.value, reward.currency)} off`;
  const code = reward.code ?? "";
  return { name: `${worth} your next order`, code, terms: worth, how: "", link: code ? discountLink(shop.shop, code) : `https://${shop.shop}` };
}

export function composeApology(message: DueMessage, now: Date): Promise<Composition> {
  return composeNotice(
    message,
    now,
    async ({ shop, key }): Promise<NoticeContent | NoticeWait | null> => {
      const [, orderId = "", kind = ""] = key.split(":");
      if (!(BREACH_KINDS as readonly string[]).includes(kind)) return null;
      const [breach, promise, order] = await Promise.all([
        db.promiseBreach.findUnique({ where: { shop_orderId_kind: { shop: shop.shop, orderId, kind } } }),
        db.orderPromise.findUnique({ where: { shop_orderId: { shop: shop.shop, orderId } } }),
        db.order.findUnique({ where: { shop_id: { shop: shop.shop, id: orderId } }, select: { name: true, cancelledAt: true } }),
      ]);
      if (!breach || !promise || !order || order.cancelledAt) return null;
      if (breach.decision !== "auto" && breach.decision !== "approved") return null;
      if (kind === "late_dispatch" && promise.shippedAt && promise.shippedAt <= promise.dispatchBy) return null;
      const goodwill = await goodwillScope(shop, breach.goodwill, now.getTime() - message.dueAt.getTime());
      if (goodwill === "wait") return { wait: "waiting for Shopify to create the goodwill code" };
      const words = apologyWords({ ...promise, ...breach, order: order.name, kind: kind as BreachKind, zone: shop.timezone });
      return {
        template: TEMPLATE,
        // The code box reads `reward`.
        scope: { apology: words, goodwill, reward: { code: goodwill.code, terms: goodwill.terms } },
        footer: `You're receiving this because you ordered from ${shop.name ?? shop.shop} (${order.name}).`,
      };
    },
    "the order was cancelled, or had left in time",
  );
}
