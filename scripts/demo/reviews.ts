// The demo's customers answer their review requests through the real review page, the merchant
// replies to one, the worker writes the stars to "Shopify" (the stand-in keeps the metafields),
// and a product page is rendered from the theme extension's own Liquid and served beside the app.
import type { StoredMetafields } from "../../dev/shopify/admin";
import { productPage, renderBlock, startStorefront, type Storefront } from "../../dev/storefront";
import { CATALOGUE, CUSTOMERS, DEMO_SHOP } from "./store";

type Answer = { who: keyof typeof CUSTOMERS; product: keyof typeof CATALOGUE; rating: number; title: string; body: string };

export const ANSWERS: Answer[] = [
  {
    who: "maya",
    product: "ethiopia",
    rating: 5,
    title: "Bright and fruity",
    body: "Blueberry and jasmine as pour-over, and it keeps well for weeks. My new daily bag.",
  },
  {
    who: "tomas",
    product: "grinder",
    rating: 4,
    title: "Even grind, a bit loud",
    body: "Consistent from espresso to French press. Louder than I expected, but worth it.",
  },
  { who: "priya", product: "mug", rating: 2, title: "Lovely glaze, chipped rim", body: "The glaze is beautiful but the rim had a small chip when it arrived." },
];

/** Encoded up front: the demo's stand-in for Shopify (undici's MockAgent) drops streamed form bodies. */
async function postForm(url: string, form: FormData) {
  const encoded = new Response(form);
  return fetch(url, { method: "POST", body: Buffer.from(await encoded.arrayBuffer()), headers: { "content-type": encoded.headers.get("content-type")! } });
}

/** Posts each answer to its review link, as the customer's browser would; returns what each became. */
export async function answerReviewRequests(appUrl: string, requests: { toAddress: string | null; html: string | null }[]) {
  const results: string[] = [];
  for (const answer of ANSWERS) {
    const customer = CUSTOMERS[answer.who];
    const product = CATALOGUE[answer.product];
    const email = requests.find((m) => m.toAddress === customer.email);
    const href = email?.html ? new RegExp(`href="([^"]+/review/[^"]+product=${product.productId}&amp;rating=${answer.rating})"`).exec(email.html)?.[1] : null;
    if (!href) continue;
    const form = new FormData();
    form.set("rating", String(answer.rating));
    form.set("title", answer.title);
    form.set("body", answer.body);
    form.set("authorName", `${customer.firstName} ${customer.lastName.charAt(0)}.`);
    const url = new URL(href.replaceAll("&amp;", "&"));
    const response = await postForm(`${appUrl}${url.pathname}${url.search}`, form);
    await response.body?.cancel();
    results.push(
      `${customer.firstName} reviewed ${product.title}: ${"★".repeat(answer.rating)}${"☆".repeat(5 - answer.rating)} “${answer.title}” (${response.status === 200 ? "sent" : `answered ${response.status}`})`,
    );
  }
  return results;
}

/** The product page a shopper sees, built from what "Shopify" holds for the product. */
export async function serveProductPage(
  appUrl: string,
  secret: string,
  metafields: StoredMetafields,
  product: keyof typeof CATALOGUE,
): Promise<Storefront & { path: string }> {
  const item = CATALOGUE[product];
  const held = (key: string) => metafields.get(`gid://shopify/Product/${item.productId}|${key}`);
  const rating = held("reviews.rating");
  const listed = {
    id: item.productId,
    title: item.title,
    handle: item.handle,
    rating: rating ? Number(JSON.parse(rating).value) : null,
    ratingCount: Number(held("reviews.rating_count") ?? 0),
    recent: JSON.parse(held("aftercare.recent_reviews") ?? "[]"),
  };
  const blocks = [
    await renderBlock("star-rating", listed, { star_color: "#e8a317", text_color: "#303030", show_count: true, show_when_empty: true }),
    await renderBlock("product-reviews", listed, { heading: "Customer reviews", star_color: "#e8a317", accent_color: "#2c6e49" }),
  ];
  const head = [await renderBlock("review-schema", listed, {})];
  const page = productPage(item.title, blocks, { css: ["star-rating.css", "product-reviews.css"], js: ["product-reviews.js"] }, head);
  const storefront = await startStorefront({ shop: DEMO_SHOP, appUrl, page, secret, handle: item.handle });
  return { ...storefront, path: `/products/${item.handle}` };
}

export const GUEST_REVIEW = {
  rating: 4,
  title: "Great as cold brew",
  body: "Overnight in the fridge it turns into chocolate and berries.",
  authorName: "Jo",
  email: "jo@example.net",
};

/** A shopper who is not logged in writes a review in the product page's widget (through the app proxy). */
export function writeStorefrontReview(storefrontUrl: string, product: keyof typeof CATALOGUE, review: typeof GUEST_REVIEW) {
  const form = new FormData();
  form.set("product_id", CATALOGUE[product].productId);
  for (const [name, value] of Object.entries(review)) form.set(name, String(value));
  return postForm(`${storefrontUrl}/apps/aftercare/reviews`, form);
}

export const QUESTION = { question: "Is the roast date printed on the bag?", name: "Ren", email: "ren@example.org" };

/** A shopper asks about a product in the widget's questions and answers (through the app proxy). */
export function askOnStorefront(storefrontUrl: string, product: keyof typeof CATALOGUE, ask: typeof QUESTION) {
  const form = new FormData();
  form.set("product_id", CATALOGUE[product].productId);
  form.set("product_url", `/products/${CATALOGUE[product].handle}`);
  for (const [name, value] of Object.entries(ask)) form.set(name, value);
  return postForm(`${storefrontUrl}/apps/aftercare/questions`, form);
}
