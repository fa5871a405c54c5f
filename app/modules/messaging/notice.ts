// An email to one customer about their own account: a reward ready, points approved, a friend's
// order that earned them something. Scheduled once per key, and composed through the checks
// every such email makes, in one place: the shop still installed, the customer's address known
// and not unsubscribed, marketing consent for what is marketing (loyalty news), the send
// window and the marketing frequency cap; then the store's layout with an unsubscribe link.
import { randomUUID } from "node:crypto";
import type { Customer, Shop } from "@prisma/client";
import db, { type Tx } from "~/db.server";
import { acceptsMarketing, isUnsubscribed } from "./consent";
import type { Composition, DueMessage } from "./dispatch";
import { linkMaker } from "./links";
import { renderEmail } from "./render";
import { allowedSlot } from "./send-window";
import { brandOf, parseEmailSettings } from "./settings";

/** Schedules the notice `key` once (a second call with the same key changes nothing); returns its message id. */
export async function scheduleNotice(
  tx: Tx,
  shop: string,
  notice: { key: string; flow: string; customerId: string; orderId?: string | null; marketing: boolean; dueAt: Date },
): Promise<string> {
  const message = await tx.message.upsert({
    where: { shop_key: { shop, key: notice.key } },
    create: {
      id: randomUUID(),
      shop,
      key: notice.key,
      flow: notice.flow,
      customerId: notice.customerId,
      orderId: notice.orderId ?? null,
      marketing: notice.marketing,
      dueAt: notice.dueAt,
      status: "scheduled",
    },
    update: {},
    select: { id: true },
  });
  return message.id;
}

export type NoticeContent = {
  template: { subject: string; preheader: string; body: string };
  /** What the template reads; `shop` and `brand` are added. */
  scope: Record<string, unknown>;
  /** Why the customer gets it, under the message. */
  footer: string;
};

/** What a notice's composer is given to write it: `key` is the one it was scheduled under (what it is about). */
export type NoticeContext = { shop: Shop; customer: Customer; key: string; now: Date };

/** A notice that cannot be written yet (a code Shopify has not created): tried again in a minute, `reason` shown meanwhile. */
export type NoticeWait = { wait: string };
const WAIT_MS = 60_000;

/**
 * Composes a notice with `write` once every check has passed; `write` answers null when what
 * the notice was about is gone (it is then cancelled with `gone`).
 */
export async function composeNotice(
  message: DueMessage,
  now: Date,
  write: (context: NoticeContext) => Promise<NoticeContent | NoticeWait | null>,
  gone = "what it was about is no longer there",
): Promise<Composition> {
  const shop = await db.shop.findUnique({ where: { shop: message.shop } });
  if (!shop || shop.uninstalledAt) return { kind: "skip", status: "cancelled", reason: "app uninstalled" };
  const customer = message.customerId ? await db.customer.findUnique({ where: { shop_id: { shop: shop.shop, id: message.customerId } } }) : null;
  if (!customer?.email) return { kind: "skip", status: "suppressed", reason: "no email address" };
  if (await isUnsubscribed(db, shop.shop, customer.email)) return { kind: "skip", status: "suppressed", reason: "unsubscribed" };
  if (message.marketing && !acceptsMarketing(customer.emailMarketingState)) return { kind: "skip", status: "suppressed", reason: "no email marketing consent" };
  const settings = parseEmailSettings(shop.settings);
  const slot = await allowedSlot(message, settings, shop.timezone, customer.email, now);
  if (slot.at > now) return { kind: "later", dueAt: slot.at, reason: slot.reason };
  const scheduled = await db.message.findUnique({ where: { id: message.id }, select: { key: true } });
  const content = await write({ shop, customer, key: scheduled?.key ?? "", now });
  if (!content) return { kind: "skip", status: "cancelled", reason: gone };
  if ("wait" in content) return { kind: "later", retry: true, dueAt: new Date(now.getTime() + WAIT_MS), reason: content.wait };

  const brand = brandOf(shop, settings);
  const unsubscribeUrl = linkMaker(shop.shop, message.id, now)("unsubscribe", "unsubscribe");
  const scope = { ...content.scope, customer: { first_name: customer.firstName ?? "" }, shop: { name: brand.name }, brand: { color: brand.color } };
  const { subject, html, text } = await renderEmail(content.template, scope, { brand, footer: content.footer, unsubscribeUrl });
  return { kind: "send", to: customer.email, subject, html, text, fromName: brand.name, replyTo: shop.contactEmail, unsubscribeUrl, productIds: [] };
}

/** A code shown large and easy to copy, in the brand's colour: reads `reward.code` and `reward.terms`. */
export const CODE_BOX = `<table role="presentation" width="100%" cellpadding="0" cellspacing="0" style="margin:18px 0"><tr><td align="center" style="padding:18px 12px 20px;border:2px dashed {{ brand.color }};border-radius:10px;background:#fafaf7">
<div style="font-size:12px;letter-spacing:1.5px;text-transform:uppercase;color:#6d7175">Your code</div>
<div style="margin:4px 0;font-family:'SFMono-Regular',Menlo,Consolas,'Liberation Mono',monospace;font-size:30px;line-height:1.3;font-weight:700;letter-spacing:2px;color:#202223;user-select:all;-webkit-user-select:all;word-break:break-all">{{ reward.code }}</div>
<div style="font-size:15px;color:#202223">{{ reward.terms }}</div>
</td></tr></table>`;

/** Shopify's shareable discount link: applies the code, then opens the store. */
export const discountLink = (shop: string, code: string) => `https://${shop}/discount/${encodeURIComponent(code)}`;
