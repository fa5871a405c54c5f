// Webhook payload (REST-shaped JSON) -> the few fields the product keeps. Anything the
// product does not use is dropped here, so personal data never travels further than needed.
import { createHash } from "node:crypto";

export class PayloadError extends Error {}

type Json = Record<string, unknown>;

export type CustomerRecord = {
  id: string;
  email: string | null;
  firstName: string | null;
  lastName: string | null;
  phone: string | null;
  locale: string | null;
  emailMarketingState: string | null;
  emailMarketingUpdatedAt: Date | null;
  shopifyUpdatedAt: Date | null;
  /** Shopify's account state: "enabled" once the customer has an account they sign in to (not kept in the mirror). */
  accountState: string | null;
};

export type LineItemRecord = {
  id: string;
  productId: string | null;
  variantId: string | null;
  title: string;
  variantTitle: string | null;
  sku: string | null;
  vendor: string | null;
  quantity: number;
  priceMinor: number;
};

export type FulfillmentRecord = {
  id: string;
  orderId: string;
  status: string;
  shipmentStatus: string | null;
  trackingCompany: string | null;
  trackingNumber: string | null;
  lineItems: { lineItemId: string; quantity: number }[];
  shopifyCreatedAt: Date;
  shopifyUpdatedAt: Date;
};

export type RefundRecord = {
  id: string;
  orderId: string;
  amountMinor: number;
  currency: string;
  lineItems: { lineItemId: string; quantity: number; restockType: string | null }[];
  shopifyCreatedAt: Date;
};

export type OrderRecord = {
  id: string;
  name: string;
  customerId: string | null;
  email: string | null;
  locale: string | null;
  currency: string;
  totalMinor: number;
  /** After discounts, before shipping and tax; these three in the shop's currency. */
  subtotalMinor: number;
  shippingMinor: number;
  taxMinor: number;
  financialStatus: string | null;
  fulfillmentStatus: string | null;
  buyerAcceptsMarketing: boolean;
  /** The codes the customer entered at checkout, upper-cased (Shopify's codes ignore case). */
  discountCodes: string[];
  /** shippingKeyOf the shipping address: the same address gives the same key, and the key gives no address back. */
  shippingKey: string | null;
  /** The shipping address's country (ISO code); null when the order ships nothing. */
  shippingCountry: string | null;
  cancelledAt: Date | null;
  processedAt: Date;
  shopifyUpdatedAt: Date;
  lineItems: LineItemRecord[];
  customer: CustomerRecord | null;
  fulfillments: FulfillmentRecord[];
  refunds: RefundRecord[];
};

export type PrivacyRequest = {
  customerId: string | null;
  email: string | null;
  phone: string | null;
  orderIds: string[];
  requestId: string | null;
};

// ---------- field readers ----------

function object(value: unknown, what: string): Json {
  if (value && typeof value === "object" && !Array.isArray(value)) return value as Json;
  throw new PayloadError(`${what} is not an object`);
}

function list(value: unknown, what: string): unknown[] {
  if (value == null) return [];
  if (Array.isArray(value)) return value;
  throw new PayloadError(`${what} is not a list`);
}

/** A Shopify numeric id as its exact decimal string (see json.ts for the >2^53 case). */
export function shopifyId(value: unknown): string | null {
  if (typeof value === "number" && Number.isSafeInteger(value) && value > 0) return String(value);
  if (typeof value === "string" && /^\d{1,20}$/.test(value)) return value;
  return null;
}

function requiredId(record: Json, key: string, what: string): string {
  const id = shopifyId(record[key]);
  if (!id) throw new PayloadError(`${what}.${key} is missing or not an id`);
  return id;
}

function text(value: unknown): string | null {
  return typeof value === "string" && value !== "" ? value : null;
}

function date(value: unknown): Date | null {
  if (typeof value !== "string") return null;
  const parsed = new Date(value);
  return Number.isNaN(parsed.getTime()) ? null : parsed;
}

function requiredDate(record: Json, key: string, what: string): Date {
  const parsed = date(record[key]);
  if (!parsed) throw new PayloadError(`${what}.${key} is missing or not a time`);
  return parsed;
}

function quantity(value: unknown): number {
  return typeof value === "number" && Number.isInteger(value) && value >= 0 ? value : 0;
}

const fractionDigitsCache = new Map<string, number>();
function fractionDigits(currency: string): number {
  let digits = fractionDigitsCache.get(currency);
  if (digits === undefined) {
    try {
      digits = new Intl.NumberFormat("en", { style: "currency", currency }).resolvedOptions().maximumFractionDigits ?? 2;
    } catch {
      digits = 2;
    }
    fractionDigitsCache.set(currency, digits);
  }
  return digits;
}

/** "89.99" in USD -> 8999; "1200" in JPY -> 1200. Exact decimal arithmetic, no floats. */
export function toMinorUnits(amount: unknown, currency: string): number {
  const raw = typeof amount === "number" ? amount.toFixed(fractionDigits(currency)) : amount;
  if (typeof raw !== "string" || !/^-?\d+(\.\d+)?$/.test(raw)) throw new PayloadError(`amount ${String(amount)} is not a decimal`);
  const negative = raw.startsWith("-");
  const [whole = "0", fraction = ""] = raw.replace("-", "").split(".");
  const digits = fractionDigits(currency);
  const scaled = Number(whole) * 10 ** digits + Number((fraction + "0".repeat(digits)).slice(0, digits) || "0");
  return negative ? -scaled : scaled;
}

function shopMoney(set: unknown, fallbackAmount: unknown, fallbackCurrency: string): { minor: number; currency: string } {
  const money = set && typeof set === "object" ? (set as Json).shop_money : null;
  if (money && typeof money === "object") {
    const currency = text((money as Json).currency_code) ?? fallbackCurrency;
    return { minor: toMinorUnits((money as Json).amount, currency), currency };
  }
  return { minor: toMinorUnits(fallbackAmount ?? "0", fallbackCurrency), currency: fallbackCurrency };
}

/** "subscribed" -> "SUBSCRIBED", the Admin GraphQL CustomerEmailMarketingState spelling. */
function marketingState(consent: unknown): { state: string | null; updatedAt: Date | null } {
  if (!consent || typeof consent !== "object") return { state: null, updatedAt: null };
  const state = text((consent as Json).state);
  return { state: state ? state.toUpperCase() : null, updatedAt: date((consent as Json).consent_updated_at) };
}

// ---------- payloads ----------

export function readCustomer(value: unknown, locale: string | null = null): CustomerRecord {
  const customer = object(value, "customer");
  const consent = marketingState(customer.email_marketing_consent);
  return {
    id: requiredId(customer, "id", "customer"),
    email: text(customer.email),
    firstName: text(customer.first_name),
    lastName: text(customer.last_name),
    phone: text(customer.phone),
    locale: text(customer.locale) ?? locale,
    emailMarketingState: consent.state,
    emailMarketingUpdatedAt: consent.updatedAt,
    shopifyUpdatedAt: date(customer.updated_at),
    accountState: text(customer.state),
  };
}

function readLineItem(value: unknown, currency: string): LineItemRecord {
  const item = object(value, "line item");
  return {
    id: requiredId(item, "id", "line_items[]"),
    productId: shopifyId(item.product_id),
    variantId: shopifyId(item.variant_id),
    title: text(item.title) ?? text(item.name) ?? "Item",
    variantTitle: text(item.variant_title),
    sku: text(item.sku),
    vendor: text(item.vendor),
    quantity: quantity(item.quantity),
    priceMinor: shopMoney(item.price_set, item.price, currency).minor,
  };
}

export function readFulfillment(value: unknown, orderIdFallback?: string): FulfillmentRecord {
  const fulfillment = object(value, "fulfillment");
  const orderId = shopifyId(fulfillment.order_id) ?? orderIdFallback;
  if (!orderId) throw new PayloadError("fulfillment.order_id is missing");
  const created = requiredDate(fulfillment, "created_at", "fulfillment");
  return {
    id: requiredId(fulfillment, "id", "fulfillment"),
    orderId,
    status: text(fulfillment.status) ?? "pending",
    shipmentStatus: text(fulfillment.shipment_status),
    trackingCompany: text(fulfillment.tracking_company),
    trackingNumber: text(fulfillment.tracking_number),
    lineItems: list(fulfillment.line_items, "fulfillment.line_items").map((entry) => {
      const item = object(entry, "fulfillment line item");
      return { lineItemId: requiredId(item, "id", "fulfillment.line_items[]"), quantity: quantity(item.quantity) };
    }),
    shopifyCreatedAt: created,
    shopifyUpdatedAt: date(fulfillment.updated_at) ?? created,
  };
}

export function readRefund(value: unknown, shopCurrency: string, orderIdFallback?: string): RefundRecord {
  const refund = object(value, "refund");
  const orderId = shopifyId(refund.order_id) ?? orderIdFallback;
  if (!orderId) throw new PayloadError("refund.order_id is missing");
  let currency = shopCurrency;
  let amountMinor = 0;
  for (const entry of list(refund.transactions, "refund.transactions")) {
    const transaction = object(entry, "refund transaction");
    if (transaction.kind !== "refund" || transaction.status !== "success") continue;
    currency = text(transaction.currency) ?? currency;
    amountMinor += toMinorUnits(transaction.amount, currency);
  }
  return {
    id: requiredId(refund, "id", "refund"),
    orderId,
    amountMinor,
    currency,
    lineItems: list(refund.refund_line_items, "refund.refund_line_items").map((entry) => {
      const item = object(entry, "refund line item");
      return {
        lineItemId: requiredId(item, "line_item_id", "refund_line_items[]"),
        quantity: quantity(item.quantity),
        restockType: text(item.restock_type),
      };
    }),
    shopifyCreatedAt: requiredDate(refund, "created_at", "refund"),
  };
}

/** At most this many codes are read from one order (Shopify allows a handful). */
const MAX_DISCOUNT_CODES = 10;

function discountCodes(value: unknown): string[] {
  const codes = list(value, "order.discount_codes").flatMap((entry) => {
    const code = entry && typeof entry === "object" ? text((entry as Json).code) : null;
    return code && code.length <= 255 ? [code.trim().toUpperCase()] : [];
  });
  return [...new Set(codes)].slice(0, MAX_DISCOUNT_CODES);
}

/**
 * A one-way key of a shipping address (street lines, postcode, country), written the same
 * whatever the case, spacing or punctuation: two orders to one door have the same key, for the
 * referral rules to compare; the address itself is not kept.
 */
export function shippingKeyOf(address: unknown): string | null {
  if (!address || typeof address !== "object") return null;
  const a = address as Json;
  const street = [text(a.address1), text(a.address2)].filter(Boolean).join(" ");
  const postcode = text(a.zip);
  if (!street || !postcode) return null;
  const normal = (value: string) =>
    value
      .normalize("NFKC")
      .toLowerCase()
      .replace(/[^\p{L}\p{N}]+/gu, "");
  const key = [normal(street), normal(postcode), normal(text(a.country_code) ?? text(a.country) ?? "")].join("|");
  return createHash("sha256").update(`shipping-address|${key}`).digest("base64url");
}

/** The shipping address's country as an ISO 3166 code ("CA"); null without one. */
export function countryOf(address: unknown): string | null {
  if (!address || typeof address !== "object") return null;
  const code = text((address as Json).country_code)
    ?.trim()
    .toUpperCase();
  return code && /^[A-Z]{2}$/.test(code) ? code : null;
}

export function readOrder(value: unknown): OrderRecord {
  const order = object(value, "order");
  const id = requiredId(order, "id", "order");
  const currency = text(order.currency);
  if (!currency) throw new PayloadError("order.currency is missing");
  const locale = text(order.customer_locale);
  const processedAt = date(order.processed_at) ?? requiredDate(order, "created_at", "order");
  return {
    id,
    name: text(order.name) ?? `#${String(order.order_number ?? id)}`,
    customerId: order.customer ? requiredId(object(order.customer, "order.customer"), "id", "order.customer") : null,
    email: text(order.email) ?? text(order.contact_email),
    locale,
    currency,
    totalMinor: shopMoney(order.total_price_set, order.total_price, currency).minor,
    subtotalMinor: shopMoney(order.subtotal_price_set, order.subtotal_price, currency).minor,
    shippingMinor: shopMoney(order.total_shipping_price_set, null, currency).minor,
    taxMinor: shopMoney(order.total_tax_set, order.total_tax, currency).minor,
    financialStatus: text(order.financial_status),
    fulfillmentStatus: text(order.fulfillment_status),
    buyerAcceptsMarketing: order.buyer_accepts_marketing === true,
    discountCodes: discountCodes(order.discount_codes),
    shippingKey: shippingKeyOf(order.shipping_address),
    shippingCountry: countryOf(order.shipping_address),
    cancelledAt: date(order.cancelled_at),
    processedAt,
    shopifyUpdatedAt: date(order.updated_at) ?? processedAt,
    lineItems: list(order.line_items, "order.line_items").map((item) => readLineItem(item, currency)),
    customer: order.customer ? readCustomer(order.customer, locale) : null,
    fulfillments: list(order.fulfillments, "order.fulfillments").map((f) => readFulfillment(f, id)),
    refunds: list(order.refunds, "order.refunds").map((r) => readRefund(r, currency, id)),
  };
}

export function readPrivacyRequest(value: unknown): PrivacyRequest {
  const payload = object(value, "payload");
  const customer = payload.customer ? object(payload.customer, "customer") : {};
  const orders = list(payload.orders_to_redact ?? payload.orders_requested, "orders");
  const dataRequest = payload.data_request ? object(payload.data_request, "data_request") : {};
  const request: PrivacyRequest = {
    customerId: shopifyId(customer.id),
    email: text(customer.email),
    phone: text(customer.phone),
    orderIds: orders.map(shopifyId).filter((id): id is string => id !== null),
    requestId: shopifyId(dataRequest.id),
  };
  if (!request.customerId && !request.email) throw new PayloadError("customer has neither id nor email");
  return request;
}

const COMPLIANCE_TOPICS = new Set(["customers/data_request", "customers/redact", "shop/redact"]);

/**
 * Why a signed body may not be stored for the shop its header names, or null when it may.
 * Shopify's HMAC covers the body, not the headers: a compliance body of shop A resent with
 * shop B's header would otherwise erase or export B's data. Those bodies name their shop.
 */
export function foreignShopReason(topic: string, shop: string, payload: unknown): string | null {
  if (!COMPLIANCE_TOPICS.has(topic)) return null;
  const domain = payload && typeof payload === "object" ? (payload as Json).shop_domain : null;
  return domain === shop ? null : "The body's shop_domain is not the shop in X-Shopify-Shop-Domain";
}
