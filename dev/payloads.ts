// Builds webhook bodies from Shopify's documented sample payloads (shopify/samples),
// changing only what a test needs. Ids above 2^53 stay exact: they are parsed into strings
// and written back as bare JSON numbers, as Shopify sends them.
import { parseShopifyJson } from "~/modules/intake/json";
import { fixtureText } from "./webhooks";

// Shopify's sample payloads, read and edited at any depth by the demo and the tests.
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- free-form JSON, checked by the app under test, not here
export type Json = Record<string, any>;

export function sample(name: string): Json {
  return parseShopifyJson(fixtureText(name)) as Json;
}

export function toShopifyJson(payload: unknown): string {
  return JSON.stringify(payload).replace(/"(\d{16,20})"/g, "$1");
}

let counter = 0;
/** A fresh 18-digit Shopify-style id (above 2^53, like real ones). */
export function newId(): string {
  counter += 1;
  return `${820_000_000 + Math.floor(Math.random() * 99_000_000)}${String(counter).padStart(9, "0")}`;
}

export type CustomerOptions = {
  id: string;
  email: string;
  firstName: string;
  lastName: string;
  phone?: string | null;
  locale?: string;
  /** Shopify's email_marketing_consent.state: "subscribed", "not_subscribed", "unsubscribed"… */
  marketing?: string;
  updatedAt?: string;
};

export type ProductLine = {
  productId: string;
  variantId: string;
  title: string;
  variantTitle: string | null;
  sku: string;
  vendor: string;
  /** Decimal string in the shop currency, as Shopify sends it: "18.50". */
  price: string;
  quantity: number;
};

export type OrderOptions = {
  id?: string;
  number?: number;
  createdAt?: string;
  updatedAt?: string;
  financialStatus?: string;
  customer?: CustomerOptions | null;
  cancelledAt?: string | null;
  lines?: ProductLine[];
};

function money(amount: string, currency: string) {
  return { shop_money: { amount, currency_code: currency }, presentment_money: { amount, currency_code: currency } };
}

/** Sums decimal strings in cents, so totals are exact. */
function total(lines: ProductLine[]): string {
  const cents = lines.reduce((sum, line) => sum + Math.round(Number(line.price) * 100) * line.quantity, 0);
  return (cents / 100).toFixed(2);
}

export function customerPayload(options: CustomerOptions): Json {
  const customer = sample("customers_create");
  const updatedAt = options.updatedAt ?? new Date().toISOString();
  return {
    ...customer,
    id: options.id,
    admin_graphql_api_id: `gid://shopify/Customer/${options.id}`,
    email: options.email,
    first_name: options.firstName,
    last_name: options.lastName,
    phone: options.phone ?? null,
    locale: options.locale ?? "en",
    created_at: updatedAt,
    updated_at: updatedAt,
    // The REST Customer resource's consent block (absent from the docs sample).
    email_marketing_consent: {
      state: options.marketing ?? "not_subscribed",
      opt_in_level: "single_opt_in",
      consent_updated_at: options.marketing === "subscribed" ? updatedAt : null,
    },
    addresses: [],
    default_address: { ...customer.default_address, customer_id: options.id, first_name: options.firstName, last_name: options.lastName },
  };
}

export function orderPayload(options: OrderOptions = {}): Json {
  const order = sample("orders_paid");
  const id = options.id ?? newId();
  order.id = id;
  order.admin_graphql_api_id = `gid://shopify/Order/${id}`;
  order.financial_status = options.financialStatus ?? "paid";
  order.cancelled_at = options.cancelledAt ?? null;
  order.cancel_reason = options.cancelledAt ? "customer" : null;
  if (options.number) {
    order.number = options.number - 1000;
    order.order_number = options.number;
    order.name = `#${options.number}`;
  }
  if (options.createdAt) order.created_at = order.processed_at = order.updated_at = options.createdAt;
  if (options.updatedAt) order.updated_at = options.updatedAt;
  if (options.lines) {
    const template = order.line_items[0];
    const currency = order.currency;
    order.line_items = options.lines.map((line) => ({
      ...template,
      id: newId(),
      product_id: line.productId,
      variant_id: line.variantId,
      title: line.title,
      name: line.variantTitle ? `${line.title} - ${line.variantTitle}` : line.title,
      variant_title: line.variantTitle,
      sku: line.sku,
      vendor: line.vendor,
      quantity: line.quantity,
      current_quantity: line.quantity,
      fulfillable_quantity: line.quantity,
      price: line.price,
      price_set: money(line.price, currency),
    }));
    const sum = total(options.lines);
    for (const key of ["total_price", "subtotal_price", "current_total_price", "current_subtotal_price", "total_line_items_price"]) {
      order[key] = sum;
      order[`${key}_set`] = money(sum, currency);
    }
  } else {
    order.line_items = order.line_items.map((item: Json) => ({ ...item, id: newId() }));
  }
  if (options.customer === null) {
    delete order.customer;
  } else if (options.customer) {
    const c = options.customer;
    order.customer = {
      ...order.customer,
      id: c.id,
      email: c.email,
      first_name: c.firstName,
      last_name: c.lastName,
      phone: c.phone ?? null,
      admin_graphql_api_id: `gid://shopify/Customer/${c.id}`,
      default_address: { ...order.customer.default_address, customer_id: c.id, first_name: c.firstName, last_name: c.lastName },
    };
    if (c.marketing) order.customer.email_marketing_consent = customerPayload(c).email_marketing_consent;
    order.email = c.email;
    order.contact_email = c.email;
    order.customer_locale = c.locale ?? order.customer_locale;
    order.buyer_accepts_marketing = c.marketing === "subscribed";
  }
  return order;
}

export type FulfillmentOptions = {
  id?: string;
  shipmentStatus?: string | null;
  createdAt?: string;
  updatedAt?: string;
  /** The order's line items it ships (default: the sample's). */
  lineItems?: Json[];
  tracking?: { company: string; number: string };
};

export function fulfillmentPayload(orderId: string, options: FulfillmentOptions = {}): Json {
  const fulfillment = sample("fulfillments_update");
  fulfillment.id = options.id ?? newId();
  fulfillment.order_id = orderId;
  fulfillment.status = "success";
  fulfillment.shipment_status = options.shipmentStatus ?? null;
  if (options.createdAt) fulfillment.created_at = fulfillment.updated_at = options.createdAt;
  if (options.updatedAt) fulfillment.updated_at = options.updatedAt;
  if (options.lineItems) fulfillment.line_items = options.lineItems;
  if (options.tracking) {
    fulfillment.tracking_company = options.tracking.company;
    fulfillment.tracking_number = options.tracking.number;
    fulfillment.tracking_numbers = [options.tracking.number];
  }
  return fulfillment;
}

export type RefundOptions = {
  /** Line items of the order being refunded, with the quantity returned. */
  items: { lineItem: Json; quantity: number; restockType?: string }[];
  createdAt?: string;
  note?: string;
};

/** A refund of whole line items, with one successful refund transaction for their value. */
export function refundPayload(order: Json, options: RefundOptions): Json {
  const refund = sample("refunds_create");
  const template = refund.refund_line_items[0];
  const currency = order.currency;
  const createdAt = options.createdAt ?? new Date().toISOString();
  const cents = options.items.reduce((sum, { lineItem, quantity }) => sum + Math.round(Number(lineItem.price) * 100) * quantity, 0);
  const amount = (cents / 100).toFixed(2);
  const id = newId();
  return {
    ...refund,
    id,
    admin_graphql_api_id: `gid://shopify/Refund/${id}`,
    order_id: order.id,
    created_at: createdAt,
    processed_at: createdAt,
    note: options.note ?? null,
    restock: options.items.some((item) => item.restockType === "return"),
    refund_line_items: options.items.map(({ lineItem, quantity, restockType }) => {
      const subtotal = ((Math.round(Number(lineItem.price) * 100) * quantity) / 100).toFixed(2);
      return {
        ...template,
        id: newId(),
        line_item_id: lineItem.id,
        quantity,
        restock_type: restockType ?? "no_restock",
        subtotal: Number(subtotal),
        subtotal_set: money(subtotal, currency),
        line_item: lineItem,
      };
    }),
    transactions: [{ ...refund.transactions[0], id: newId(), order_id: order.id, kind: "refund", status: "success", amount, currency }],
  };
}
