// Who may be emailed: nobody who unsubscribed, and for marketing only customers who said yes.
import db, { type Tx } from "~/db.server";

export const normalizeEmail = (email: string) => email.trim().toLowerCase();

const EMAIL_ADDRESS = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
/** Whether a typed address looks like one (the mail server has the last word). */
export const isEmailAddress = (value: unknown): value is string => typeof value === "string" && value.trim().length <= 254 && EMAIL_ADDRESS.test(value.trim());

export async function isUnsubscribed(client: Tx | typeof db, shop: string, email: string): Promise<boolean> {
  // A findUnique on the key, not a count: the dispatcher composes a batch at once, and Prisma
  // answers the findUnique calls made in the same tick with one query.
  const row = await client.unsubscribe.findUnique({ where: { shop_email: { shop, email: normalizeEmail(email) } }, select: { shop: true } });
  return row !== null;
}

/** Which of these addresses (normalized) unsubscribed from the shop: one query for a batch of messages. */
export async function unsubscribedAmong(shop: string, emails: string[]): Promise<Set<string>> {
  if (emails.length === 0) return new Set();
  const rows = await db.unsubscribe.findMany({ where: { shop, email: { in: [...new Set(emails.map(normalizeEmail))] } }, select: { email: true } });
  return new Set(rows.map((row) => row.email));
}

/** Idempotent: unsubscribing twice keeps the first record. */
export async function recordUnsubscribe(shop: string, email: string, source: "link" | "one-click", now: Date): Promise<void> {
  const key = { shop, email: normalizeEmail(email) };
  await db.unsubscribe.upsert({ where: { shop_email: key }, create: { ...key, at: now, source }, update: {} });
}

/** Shopify's consent states: only SUBSCRIBED is a yes (shopify.dev CustomerEmailMarketingState). */
export function acceptsMarketing(state: string | null | undefined): boolean {
  return (state ?? "").toUpperCase() === "SUBSCRIBED";
}

/** The messages whose customer turned their kind of email off (on the store's privacy page). */
export async function turnedOffAmong(messages: { id: string; shop: string; customerId: string | null; flow: string }[]): Promise<Set<string>> {
  const asked = messages.filter((m) => m.customerId);
  if (asked.length === 0) return new Set();
  const choices = await db.emailChoice.findMany({
    where: { OR: asked.map((m) => ({ shop: m.shop, customerId: m.customerId!, flow: m.flow })) },
    select: { shop: true, customerId: true, flow: true },
  });
  const off = new Set(choices.map((c) => `${c.shop}\n${c.customerId}\n${c.flow}`));
  return new Set(asked.filter((m) => off.has(`${m.shop}\n${m.customerId}\n${m.flow}`)).map((m) => m.id));
}
