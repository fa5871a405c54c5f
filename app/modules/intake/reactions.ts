// The seam the product's capabilities plug into: a reaction runs inside the intake
// transaction of every delivery of its topics, so its effects commit with the mirror
// update or not at all. Reactions must be idempotent per delivery content (use unique
// keys), because the same fact can reach us through more than one topic.
import type { Tx } from "~/db.server";
import type { CustomerRecord, FulfillmentRecord, OrderRecord, PrivacyRequest, RefundRecord } from "./payloads";
import type { MirrorWrite } from "./mirror";

export const TOPICS = [
  "orders/create",
  "orders/paid",
  "orders/updated",
  "orders/cancelled",
  "fulfillments/create",
  "fulfillments/update",
  "refunds/create",
  "customers/create",
  "customers/update",
  "app/uninstalled",
  "customers/data_request",
  "customers/redact",
  "shop/redact",
] as const;
export type Topic = (typeof TOPICS)[number];

export function isTopic(value: string): value is Topic {
  return (TOPICS as readonly string[]).includes(value);
}

export type IntakeEvent = {
  shop: string;
  topic: Topic;
  webhookId: string;
  now: Date;
  /** What the delivery did to the mirror; "stale" when newer state was already held. */
  write: MirrorWrite | null;
  order?: OrderRecord;
  fulfillment?: FulfillmentRecord;
  refund?: RefundRecord;
  customer?: CustomerRecord;
  privacy?: PrivacyRequest;
};

export type Reaction = (tx: Tx, event: IntakeEvent) => Promise<void>;

const reactions = new Map<Topic, Reaction[]>();

export function onWebhook(topics: readonly Topic[], reaction: Reaction): () => void {
  for (const topic of topics) reactions.set(topic, [...(reactions.get(topic) ?? []), reaction]);
  return () => {
    for (const topic of topics) reactions.set(topic, (reactions.get(topic) ?? []).filter((r) => r !== reaction));
  };
}

export async function runReactions(tx: Tx, event: IntakeEvent): Promise<void> {
  for (const reaction of reactions.get(event.topic) ?? []) await reaction(tx, event);
}
