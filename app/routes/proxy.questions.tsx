// https://<shop>/apps/aftercare/questions through Shopify's app proxy, for the storefront widget.
// GET ?product_id=…&page=…: a page of the product's published questions with their published
// answers, cached like the reviews list. POST (form fields product_id, product_url, name,
// email, question; the product's title is the store's): a shopper's question, which waits for the merchant;
// limited per client address and per shop and email. Only requests Shopify signed are answered.
// The body is capped before and while it is read: a question's fields, no files.
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { requireProxyRequest } from "~/edge/proxy";
import { now } from "~/modules/clock";
import { normalizeEmail } from "~/modules/messaging/consent";
import { askQuestion, productQuestionsPage } from "~/modules/questions";
import { asResponse, cachedJson } from "~/modules/storefront/cached-json";
import { isShopifyId, PAGE_QUERY_ERROR, productPageQuery, shopperAddress } from "~/modules/storefront/proxy";
import { allowAttempt } from "~/modules/storefront/rate-limit";
import { readCappedForm, type FormCaps } from "~/edge/form-body";

/** The widget's six fields (a question is at most 1,000 characters, so 3 KB) with room to spare. */
const QUESTION_FORM_CAPS: FormCaps = { maxBytes: 32 * 1024, maxParts: 8, maxFieldBytes: 8 * 1024, maxFiles: 0, maxFileBytes: 0 };
const PER_ADDRESS = { limit: 10, windowMs: 10 * 60_000 };
const PER_EMAIL = { limit: 3, windowMs: 60 * 60_000 };
const TOO_MANY = { error: "That's a lot of questions in a short time. Please wait a little and try again." };

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const proxy = requireProxyRequest(request);
  const wanted = productPageQuery(new URL(request.url).searchParams);
  if (!wanted) return Response.json({ error: PAGE_QUERY_ERROR }, { status: 400 });
  return asResponse(cachedJson(await productQuestionsPage(proxy.shop, wanted.productId, wanted.page), request.headers.get("If-None-Match")));
};

export const action = async ({ request }: ActionFunctionArgs) => {
  const proxy = requireProxyRequest(request);
  if (request.method !== "POST") return Response.json({ error: "POST a question" }, { status: 405 });
  const read = await readCappedForm(request, QUESTION_FORM_CAPS);
  if ("refused" in read) {
    const error = read.status === 413 ? "That is too long to be a question." : "send the question as form fields";
    return Response.json({ error }, { status: read.status });
  }
  const { form } = read;
  const field = (name: string) => {
    const value = form.get(name);
    return typeof value === "string" ? value : "";
  };
  const productId = field("product_id");
  if (!isShopifyId(productId)) return Response.json({ error: "product_id (digits) is required" }, { status: 400 });
  const address = shopperAddress(request.headers.get("X-Forwarded-For"));
  const email = normalizeEmail(field("email"));
  if (!allowAttempt(`question-ip:${address}`, PER_ADDRESS.limit, PER_ADDRESS.windowMs)) return Response.json(TOO_MANY, { status: 429 });
  if (email && !allowAttempt(`question-email:${proxy.shop}:${email}`, PER_EMAIL.limit, PER_EMAIL.windowMs)) return Response.json(TOO_MANY, { status: 429 });
  const result = await askQuestion(
    proxy.shop,
    {
      productId,
      productUrl: field("product_url"),
      name: field("name"),
      email: field("email"),
      question: field("question"),
      customerId: proxy.customerId,
    },
    now(),
  );
  if (result.kind === "invalid") return Response.json({ errors: result.errors }, { status: 422 });
  return Response.json({ status: "pending" }, { status: 201 });
};
