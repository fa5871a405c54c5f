// The three compliance topics, for real: erase a customer, erase a shop, gather what we hold.
// Capabilities that store customer data of their own name a CustomerDataOwner in the capability
// list, which erasure and export receive, so that they always cover every table.
import { randomUUID } from "node:crypto";
import { Prisma } from "@prisma/client";
import { inParts, LIST_PART, type Tx } from "~/db.server";
import type { PrivacyRequest } from "~/modules/intake/payloads";

export type CustomerDataOwner = {
  name: string;
  erase(tx: Tx, shop: string, request: PrivacyRequest): Promise<void>;
  gather(tx: Tx, shop: string, request: PrivacyRequest): Promise<unknown>;
};

/** What privacy needs of a capability: the owners of the customer data it stores. */
export type PrivacyCapability = { privacy: readonly CustomerDataOwner[] };

const ownersOf = (capabilities: readonly PrivacyCapability[]) => capabilities.flatMap((capability) => capability.privacy);

/**
 * The rows of a model with `customerId` and `orderId` columns that belong to the request's
 * customer or name one of its orders (an empty OR matches nothing).
 */
export function customerRowsMatch(shop: string, request: PrivacyRequest) {
  const or: ({ customerId: string } | { orderId: { in: string[] } })[] = [];
  if (request.customerId) or.push({ customerId: request.customerId });
  if (request.orderIds.length > 0) or.push({ orderId: { in: request.orderIds } });
  return { shop, OR: or };
}

function orderMatch(shop: string, request: PrivacyRequest): Prisma.OrderWhereInput {
  const or: Prisma.OrderWhereInput[] = [];
  if (request.customerId) or.push({ customerId: request.customerId });
  if (request.email) or.push({ email: request.email });
  if (request.orderIds.length > 0) or.push({ id: { in: request.orderIds } });
  return { shop, OR: or };
}

function customerMatch(shop: string, request: PrivacyRequest): Prisma.CustomerWhereInput {
  const or: Prisma.CustomerWhereInput[] = [];
  if (request.customerId) or.push({ id: request.customerId });
  if (request.email) or.push({ email: request.email });
  return { shop, OR: or };
}

/** customers/redact: personal data goes; orders stay as anonymous rows for the store's figures. */
export async function redactCustomer(tx: Tx, shop: string, request: PrivacyRequest, capabilities: readonly PrivacyCapability[]): Promise<string> {
  // Erasing is idempotent, so a request naming more orders than a query takes is erased a part of them at a time.
  const parts = request.orderIds.length > LIST_PART ? inParts(request.orderIds).map((orderIds) => ({ ...request, orderIds })) : [request];
  let customers = 0;
  const orders = new Set<string>();
  for (const part of parts) {
    const erased = await redactPart(tx, shop, part, ownersOf(capabilities));
    customers += erased.customers;
    for (const id of erased.orderIds) orders.add(id);
  }
  return `redacted ${customers} customer(s), anonymised ${orders.size} order(s)`;
}

async function redactPart(tx: Tx, shop: string, request: PrivacyRequest, owners: readonly CustomerDataOwner[]) {
  const orderIds = (await tx.order.findMany({ where: orderMatch(shop, request), select: { id: true } })).map((o) => o.id);
  for (const part of inParts(orderIds)) {
    await tx.order.updateMany({ where: { shop, id: { in: part } }, data: { customerId: null, email: null, shippingKey: null } });
    await tx.fulfillment.updateMany({ where: { shop, orderId: { in: part } }, data: { trackingNumber: null } });
  }
  const customers = await tx.customer.deleteMany({ where: customerMatch(shop, request) });
  if (request.customerId) {
    await tx.dataRequest.deleteMany({ where: { shop, customerId: request.customerId } });
    await tx.emailChoice.deleteMany({ where: { shop, customerId: request.customerId } });
  }
  // Deliveries not applied yet still hold their raw payloads: the ones about this customer go.
  const mentions = [request.customerId, request.email].filter((m): m is string => Boolean(m));
  if (mentions.length > 0) {
    await tx.webhookDelivery.updateMany({
      where: { shop, payload: { not: null }, OR: mentions.map((m) => ({ payload: { contains: m } })) },
      data: { payload: null, outcome: "skipped", detail: "payload erased by customers/redact before it was applied" },
    });
  }
  for (const owner of owners) await owner.erase(tx, shop, request);
  return { customers: customers.count, orderIds };
}

/** customers/data_request: everything held about the customer, kept for the merchant to download. */
export async function gatherCustomerData(
  tx: Tx,
  shop: string,
  request: PrivacyRequest,
  now: Date,
  capabilities: readonly PrivacyCapability[],
): Promise<string> {
  const customers = await tx.customer.findMany({ where: customerMatch(shop, request) });
  const orders = await tx.order.findMany({ where: orderMatch(shop, request), include: { lineItems: true } });
  const orderIds = orders.map((o) => o.id);
  const fulfillments = [];
  const refunds = [];
  for (const part of inParts(orderIds)) {
    fulfillments.push(...(await tx.fulfillment.findMany({ where: { shop, orderId: { in: part } } })));
    refunds.push(...(await tx.refund.findMany({ where: { shop, orderId: { in: part } } })));
  }
  const emailChoices = request.customerId
    ? await tx.emailChoice.findMany({ where: { shop, customerId: request.customerId }, select: { flow: true, at: true } })
    : [];
  const sections: Record<string, unknown> = { customers, orders, fulfillments, refunds, emailChoices };
  for (const owner of ownersOf(capabilities)) sections[owner.name] = await owner.gather(tx, shop, request);

  const id = randomUUID();
  await tx.dataRequest.create({
    data: {
      id,
      shop,
      customerId: request.customerId ?? customers[0]?.id ?? "unknown",
      requestId: request.requestId,
      receivedAt: now,
      export: JSON.stringify({ shop, gatheredAt: now.toISOString(), request, ...sections }, null, 2),
    },
  });
  return `gathered ${customers.length} customer(s), ${orders.length} order(s)`;
}

/** Every model with a `shop` column, children before parents so no foreign key objects. */
function shopScopedModels(): string[] {
  const models = Prisma.dmmf.datamodel.models.filter((model) => model.fields.some((field) => field.name === "shop"));
  const isChild = (model: (typeof models)[number]) => model.fields.some((f) => (f.relationFromFields ?? []).length > 0);
  return [...models.filter(isChild), ...models.filter((m) => !isChild(m))].map((m) => m.name);
}

/** shop/redact: nothing of the shop remains, in any table. */
export async function eraseShop(tx: Tx, shop: string): Promise<void> {
  for (const model of shopScopedModels()) {
    const delegate = (tx as unknown as Record<string, { deleteMany(args: object): Promise<unknown> }>)[model.charAt(0).toLowerCase() + model.slice(1)];
    await delegate!.deleteMany({ where: { shop } });
  }
}
