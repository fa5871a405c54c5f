// The demo shop: a small coffee roaster with replenishable products (beans, filters) and
// durable ones (a grinder, a mug), so every later flow has something real to act on.
import type { CustomerOptions, ProductLine } from "../../dev/payloads";
import type { StandInProduct } from "../../dev/shopify/admin";

export const DEMO_SHOP = "larch-and-ember.myshopify.com";

export const DEMO_PROFILE = {
  name: "Larch & Ember Coffee",
  contactEmail: "hello@larch-and-ember.test",
  currencyCode: "USD",
  ianaTimezone: "America/New_York",
  billingAddress: { countryCodeV2: "US" },
};

type Product = Omit<ProductLine, "quantity">;

type Listed = Product & { productType: string; handle: string };

function product(id: number, title: string, variantTitle: string | null, price: string, sku: string, productType: string, vendor = "Larch & Ember"): Listed {
  const handle = title.toLowerCase().replace(/[^a-z0-9]+/g, "-");
  return { productId: `8${id}00000000001`, variantId: `4${id}00000000001`, title, variantTitle, price, sku, vendor, productType, handle };
}

export const CATALOGUE = {
  ethiopia: product(101, "Ethiopia Guji Natural", "340 g / Whole bean", "19.50", "LE-ETH-340", "Coffee"),
  house: product(102, "House Espresso Blend", "1 kg / Whole bean", "42.00", "LE-ESP-1000", "Coffee"),
  decaf: product(103, "Colombia Decaf", "340 g / Ground", "18.00", "LE-DEC-340", "Coffee"),
  filters: product(104, "Unbleached Paper Filters", "100 pack", "7.50", "LE-FLT-100", "Brewing supplies"),
  grinder: product(105, "Burr Grinder Mk II", null, "149.00", "LE-GRD-002", "Grinders"),
  mug: product(106, "Stoneware Mug", "Ember glaze", "24.00", "LE-MUG-EMB", "Drinkware", "Ember Clay Studio"),
  dripper: product(107, "Ceramic Pour-over Dripper", "White", "32.00", "LE-DRP-WHT", "Brewers", "Ember Clay Studio"),
  campMug: product(108, "Enamel Camp Mug", "Forest", "16.00", "LE-MUG-CMP", "Drinkware", "Trailside Goods"),
  tumbler: product(109, "Insulated Tumbler", "Charcoal", "29.00", "LE-TMB-CHR", "Drinkware", "Trailside Goods"),
} satisfies Record<string, Listed>;

/** The catalogue as Shopify's Admin API describes it (the demo stands in for Shopify). */
export const LISTINGS: StandInProduct[] = Object.values(CATALOGUE).map((p) => ({
  id: p.productId,
  title: p.title,
  handle: p.handle,
  productType: p.productType,
  vendor: p.vendor,
  price: p.price,
}));

/** How long the merchant says a bag lasts, set on the re-order reminder's page. */
export const REORDER_DAYS = { [CATALOGUE.ethiopia.productId]: "21", [CATALOGUE.house.productId]: "28", [CATALOGUE.decaf.productId]: "21" };

export function line(item: Product, quantity = 1): ProductLine {
  return { ...item, quantity };
}

function customer(id: number, firstName: string, lastName: string, marketing: string, locale = "en"): CustomerOptions {
  const email =
    `${firstName}.${lastName}`
      .normalize("NFD")
      .toLowerCase()
      .replace(/[^a-z.]/g, "") + "@example.com";
  return { id: `7${id}000000000001`, email, firstName, lastName, marketing, locale, phone: null };
}

export const CUSTOMERS = {
  maya: customer(201, "Maya", "Chen", "subscribed"),
  tomas: customer(202, "Tomás", "Reyes", "subscribed", "es"),
  ama: customer(203, "Ama", "Owusu", "subscribed"),
  jonas: customer(204, "Jonas", "Berg", "unsubscribed", "de"),
  priya: customer(205, "Priya", "Natarajan", "subscribed"),
  eli: customer(206, "Eli", "Brooks", "not_subscribed"),
} satisfies Record<string, CustomerOptions>;
