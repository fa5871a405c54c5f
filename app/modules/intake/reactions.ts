// The seam the product's capabilities plug into: each names its reactions in the capability
// list, which intake receives. A reaction runs inside the intake transaction of every
// delivery of its topics, so its effects commit with the mirror update or not at all.
// Reactions must be idempotent per delivery content (use unique keys), because the same fact
// can reach us through more than one topic.
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

/** A reaction and the topics it runs on. */
export type WebhookReaction = { topics: readonly Topic[]; react: Reaction };

/** What runReactions needs of each capability in the list: its reactions. */
export type ReactingCapability = { reactions: readonly WebhookReaction[] };

/** Runs every capability's reactions to the event's topic, in the list's order. */
export async function runReactions(capabilities: readonly ReactingCapability[], tx: Tx, event: IntakeEvent): Promise<void> {
  for (const { reactions } of capabilities) {
    for (const { topics, react } of reactions) if (topics.includes(event.topic)) await react(tx, event);
  }
}
