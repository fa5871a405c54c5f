// Builds webhook bodies from Shopify's documented sample payloads (tests/fixtures/shopify),
// changing only what a test needs. Ids above 2^53 stay exact: they are parsed into strings
// and written back as bare JSON numbers, as Shopify sends them.
import { parseShopifyJson } from "~/modules/intake/json";
import { fixtureText } from "./app";

type Json = Record<string, any>;

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

export type OrderOptions = {
  id?: string;
  updatedAt?: string;
  financialStatus?: string;
  customer?: { id: string; email: string; firstName: string; lastName: string; phone?: string | null } | null;
  cancelledAt?: string | null;
};

export function orderPayload(options: OrderOptions = {}): Json {
  const order = sample("orders_paid");
  const id = options.id ?? newId();
  order.id = id;
  order.admin_graphql_api_id = `gid://shopify/Order/${id}`;
  order.financial_status = options.financialStatus ?? "paid";
  order.cancelled_at = options.cancelledAt ?? null;
  order.cancel_reason = options.cancelledAt ? "customer" : null;
  if (options.updatedAt) order.updated_at = options.updatedAt;
  order.line_items = order.line_items.map((item: Json) => ({ ...item, id: newId() }));
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
    order.email = c.email;
    order.contact_email = c.email;
  }
  return order;
}

export function fulfillmentPayload(orderId: string, options: { id?: string; shipmentStatus?: string | null; updatedAt?: string } = {}): Json {
  const fulfillment = sample("fulfillments_update");
  fulfillment.id = options.id ?? newId();
  fulfillment.order_id = orderId;
  fulfillment.status = "success";
  fulfillment.shipment_status = options.shipmentStatus ?? null;
  if (options.updatedAt) fulfillment.updated_at = options.updatedAt;
  return fulfillment;
}
