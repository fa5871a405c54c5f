// The store's reply, by email: the reply's words, a button to the conversation page where the
// customer answers (their answer lands in the thread), and Reply-To the store for those who
// simply reply. Service, not marketing: it needs no marketing consent.
import db from "~/db.server";
import type { Composition, DueMessage } from "~/modules/messaging/dispatch";
import { linkMaker } from "~/modules/messaging/links";
import { composeNotice } from "~/modules/messaging/notice";
import { GIFT_FLOW } from "./gift";
import { CASE_REPLY_FLOW } from "./threads";

export const INBOX_EMAIL_FLOWS = [
  { id: CASE_REPLY_FLOW, name: "Reply from the store" },
  { id: GIFT_FLOW, name: "Gift from the store" },
];

const TEMPLATE = {
  subject: "{{ reply.subject }}",
  preheader: "{{ reply.preview }}",
  body: `<p>Hi {{ customer.first_name | default: "there" }},</p>
{% for paragraph in reply.paragraphs %}<p>{{ paragraph }}</p>
{% endfor %}{% button links.answer %}Answer{% endbutton %}
<p style="color:#6d7175;font-size:14px">Your answer goes straight to the store; you can also simply reply to this email.</p>
<p>The {{ shop.name }} team</p>`,
};

export function composeCaseReply(message: DueMessage, now: Date): Promise<Composition> {
  return composeNotice(message, now, async ({ shop, key }) => {
    const replyId = key.slice(CASE_REPLY_FLOW.length + 1);
    const reply = await db.caseMessage.findFirst({ where: { shop: shop.shop, id: replyId, author: "store" }, select: { body: true } });
    if (!reply) return null;
    const order = message.orderId ? await db.order.findFirst({ where: { shop: shop.shop, id: message.orderId }, select: { name: true } }) : null;
    const paragraphs = reply.body
      .split(/\n{2,}/)
      .map((p) => p.trim())
      .filter(Boolean);
    return {
      template: TEMPLATE,
      scope: {
        reply: {
          subject: order ? `About your order ${order.name}` : `A reply from ${shop.name ?? shop.shop}`,
          preview: reply.body.slice(0, 120),
          paragraphs,
        },
        links: { answer: linkMaker(shop.shop, message.id, now)("conversation", "conversation") },
      },
      footer: `You're receiving this because you wrote to ${shop.name ?? shop.shop}.`,
    };
  });
}
