// https://<shop>/apps/aftercare/privacy through Shopify's app proxy, answered as Liquid so that
// the store shows it as one of its pages: what this app holds about the signed-in customer and
// why, the kinds of email they get (POST intent=emails with `on` per kind left on), a message
// to the store (POST intent=message with `body`), and their request to be deleted (POST
// intent=delete); both wait in the merchant's inbox. A guest is
// asked to sign in; an unsigned request is 401; a form without this page's token is 403.
// Everything shown is escaped for HTML and for Liquid, which Shopify renders the page with.
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { readCappedForm, singleField, type FormCaps } from "~/edge/form-body";
import { isProxyFormToken, proxyFormToken, requireProxyRequest, type ProxyContext } from "~/edge/proxy";
import { formatShopTime } from "~/format";
import { emailFlows } from "~/modules/capabilities";
import { now } from "~/modules/clock";
import { escapeHtml } from "~/modules/messaging/html";
import { ALWAYS_SENT, customerDataView, requestDeletion, saveEmailChoices } from "~/modules/privacy/customer-page";
import { readMessageBody, startConversation } from "~/modules/inbox";
import { MAX_MESSAGE } from "~/modules/inbox/limits";
import { getShop } from "~/modules/shops";
import { allowAttempt } from "~/modules/storefront/rate-limit";

const PRIVACY_FORM_CAPS: FormCaps = { maxBytes: 24 * 1024, maxParts: 60, maxFieldBytes: 20 * 1024, maxFiles: 0, maxFileBytes: 0 };
const MESSAGES_PER_CUSTOMER = { limit: 5, windowMs: 60 * 60_000 };
const PAGE_PATH = "/apps/aftercare/privacy";

/** Text as the page shows it: HTML-escaped, and no `{` or `}` left for Liquid to read as code. */
const text = (value: unknown) => escapeHtml(value).replaceAll("{", "&#123;").replaceAll("}", "&#125;");

const STYLE = `<style>
.aftercare-privacy{max-width:44rem;margin:2rem auto;padding:0 1rem;line-height:1.55}
.aftercare-privacy h2{margin-top:2rem}
.aftercare-privacy ul.held{list-style:none;padding:0}
.aftercare-privacy ul.held li{padding:.75rem 0;border-bottom:1px solid rgba(0,0,0,.1)}
.aftercare-privacy .count{font-weight:700}
.aftercare-privacy .muted{opacity:.7;font-size:.9em}
.aftercare-privacy label{display:block;padding:.3rem 0}
.aftercare-privacy .notice{padding:.75rem 1rem;border-radius:6px;background:rgba(44,110,73,.1)}
.aftercare-privacy button{margin-top:.75rem}
</style>`;

function liquidPage(body: string, status = 200): Response {
  return new Response(`${STYLE}<div class="aftercare-privacy">${body}</div>`, { status, headers: { "Content-Type": "application/liquid; charset=utf-8" } });
}

async function page(proxy: ProxyContext, notice: string | null, status = 200): Promise<Response> {
  const shop = await getShop(proxy.shop);
  const store = text(shop?.name ?? proxy.shop);
  if (!proxy.customerId) {
    return liquidPage(
      `<h1>Your data at ${store}</h1>
<p>Sign in to see what we hold about you, choose the emails you get, or ask us to delete your data.</p>
<p><a class="button" href="/account/login?return_url=${encodeURIComponent(PAGE_PATH)}">Sign in</a></p>`,
      status,
    );
  }
  const view = await customerDataView(proxy.shop, proxy.customerId);
  const token = proxyFormToken(proxy.shop, proxy.customerId);
  const held = view.held
    .map(
      (item) =>
        `<li><span class="count">${item.count}</span> · <strong>${text(item.what)}</strong>${item.detail ? ` <span class="muted">(${text(item.detail)})</span>` : ""}<br><span class="muted">${text(item.why)}</span></li>`,
    )
    .join("");
  const kinds = emailFlows()
    .map((flow) => {
      const always = ALWAYS_SENT.has(flow.id);
      const on = always || !view.turnedOff.includes(flow.id);
      return `<label><input type="checkbox" name="on" value="${text(flow.id)}"${on ? " checked" : ""}${always ? " disabled" : ""}> ${text(flow.name)}${always ? ' <span class="muted">(answers something you asked for: always sent)</span>' : ""}</label>`;
    })
    .join("");
  const deletion = view.deletionRequestedAt
    ? `<p>You asked on ${text(formatShopTime(view.deletionRequestedAt, shop?.timezone ?? "UTC", "date"))}. The store will delete it and let you know.</p>`
    : `<p>We delete what this app holds about you: your reviews and questions, points, emails and conversations. Your orders stay with the store for its accounts, without your name.</p>
<form method="post" action="${PAGE_PATH}"><input type="hidden" name="intent" value="delete"><input type="hidden" name="token" value="${token}">
<button type="submit">Ask the store to delete my data</button></form>`;
  return liquidPage(
    `<h1>Your data at ${store}</h1>
${notice ? `<p class="notice" role="status">${text(notice)}</p>` : ""}
<p>What this store's post-purchase app holds about ${view.email ? text(view.email) : "you"}, and why.</p>
<h2>What we hold</h2><ul class="held">${held}</ul>
<h2>Emails you get</h2>
<form method="post" action="${PAGE_PATH}"><input type="hidden" name="intent" value="emails"><input type="hidden" name="token" value="${token}">
${kinds}<button type="submit">Save my choices</button></form>
<p class="muted">Every email also has an unsubscribe link at the bottom.</p>
<h2>Write to the store</h2>
<p>A question about your data, an order, or anything else: a person at the store reads it and answers you by email.</p>
<form method="post" action="${PAGE_PATH}"><input type="hidden" name="intent" value="message"><input type="hidden" name="token" value="${token}">
<textarea name="body" rows="5" maxlength="${MAX_MESSAGE}" required style="width:100%"></textarea>
<button type="submit">Send to the store</button></form>
<h2>Delete my data</h2>${deletion}`,
    status,
  );
}

export const loader = async ({ request }: LoaderFunctionArgs) => page(requireProxyRequest(request), null);

export const action = async ({ request }: ActionFunctionArgs) => {
  const proxy = requireProxyRequest(request);
  if (!proxy.customerId) return page(proxy, "Sign in first.", 403);
  const read = await readCappedForm(request, PRIVACY_FORM_CAPS);
  if ("refused" in read) return page(proxy, "That form could not be read.", read.status);
  if (!isProxyFormToken(singleField(read.form, "token"), proxy.shop, proxy.customerId)) return page(proxy, "That form was not sent from this page.", 403);
  const intent = singleField(read.form, "intent");
  if (intent === "emails") {
    const known = new Set(emailFlows().map((f) => f.id));
    const on = new Set(read.form.getAll("on").filter((v): v is string => typeof v === "string"));
    const off = [...known].filter((flow) => !on.has(flow));
    await saveEmailChoices(proxy.shop, proxy.customerId, off, now());
    return page(proxy, "Your email choices are saved.");
  }
  if (intent === "message") {
    const body = readMessageBody(singleField(read.form, "body"));
    if (!body) return page(proxy, `Write your message, at most ${MAX_MESSAGE} characters.`, 400);
    if (!allowAttempt(`privacy-message:${proxy.shop}:${proxy.customerId}`, MESSAGES_PER_CUSTOMER.limit, MESSAGES_PER_CUSTOMER.windowMs))
      return page(proxy, "That was a lot of messages in a short time. Please wait a little.", 429);
    await startConversation(proxy.shop, proxy.customerId, body, now());
    return page(proxy, "Your message is with the store. They will answer you by email.");
  }
  if (intent === "delete") {
    const requested = await requestDeletion(proxy.shop, proxy.customerId, now());
    return page(
      proxy,
      requested === "requested"
        ? "Your request is with the store. They will delete your data and let you know."
        : "You have already asked; the store will be in touch.",
    );
  }
  return page(proxy, "That form could not be read.", 400);
};
