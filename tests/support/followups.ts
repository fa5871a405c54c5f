// Shared pieces of the follow-up suites: a shop, its products and customers, and the worker's
// pass at a moved time for one shop (test files share the database, never each other's shops).
import { randomUUID } from "node:crypto";
import db from "~/db.server";
import { runWorker } from "~/jobs/worker";
import { CAPABILITIES } from "~/modules/capabilities";
import type { Mailer } from "~/modules/messaging/mailer";
import { uniqueShop } from "./app";
import { newId, type ProductLine } from "./payloads";

export const product = (n: number, title: string, price: string, vendor = "Test Roasters"): ProductLine => ({
  productId: `9${n}000000000001`,
  variantId: `6${n}000000000001`,
  title,
  variantTitle: null,
  price,
  sku: `SKU-${n}`,
  vendor,
  quantity: 1,
});
export const BEANS = product(11, "Kenya AA", "21.00");
export const GRINDER = product(12, "Hand Grinder", "89.00");
export const MUG = product(13, "Stoneware Mug", "24.00");
export const FILTERS = product(14, "Paper Filters", "7.50");

export async function installShop(timezone = "America/New_York", settings: object = {}): Promise<string> {
  const shop = uniqueShop("followups");
  await db.shop.create({
    data: {
      shop,
      name: "Test Roasters",
      contactEmail: "hello@roasters.test",
      currency: "USD",
      timezone,
      installedAt: new Date("2026-01-01T00:00:00Z"),
      settings: JSON.stringify({ followups: settings }),
    },
  });
  return shop;
}

export function customer(marketing = "subscribed") {
  return { id: newId(), email: `c-${randomUUID().slice(0, 8)}@example.com`, firstName: "Robin", lastName: "Quill", marketing };
}

/** The worker's pass at `at` (the clock stays there), for this shop only. */
export function runWorkerAt(shop: string, at: string, mailer: Mailer) {
  return runWorker(CAPABILITIES, { once: true, now: new Date(at), mailer, shop });
}

/** A header as it went over the wire (mailparser folds the List-* headers into one object). */
export function rawHeader(mail: { raw: string }, name: string): string | undefined {
  const head = mail.raw.split("\r\n\r\n")[0]!.replace(/\r\n[ \t]+/g, " ");
  return head
    .split("\r\n")
    .find((line) => line.toLowerCase().startsWith(`${name.toLowerCase()}:`))
    ?.slice(name.length + 1)
    .trim();
}
