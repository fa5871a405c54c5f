// Products as the store knows them, for what a storefront form names only by id: a form's
// product title is whatever the shopper typed, so it is never taken from there.
import db from "~/db.server";
import { fetchProductCards } from "~/modules/shopify-admin";
import { offlineGraphql } from "~/modules/shopify-admin/offline";

/**
 * The product's title: from the mirror (its latest order line), else from the Admin API. Null
 * when neither knows it: no such product in this shop, or the API out of reach (no offline
 * session, Shopify down); either way the form is refused and the shopper can send it again.
 */
export async function knownProductTitle(shop: string, productId: string): Promise<string | null> {
  const line = await db.lineItem.findFirst({ where: { shop, productId }, select: { title: true }, orderBy: { order: { createdAt: "desc" } } });
  if (line) return line.title;
  try {
    const [card] = await fetchProductCards(await offlineGraphql(shop), [productId]);
    return card?.title ?? null;
  } catch {
    return null;
  }
}
