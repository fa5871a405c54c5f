// "Send a test to me": where a test may go, how many an hour, and the log the editor shows.
// A test carries the app's sender address, so it goes only to the store's own contact email
// (the app keeps offline sessions only: a staff member's own address is never known to it),
// at most TEST_SENDS_PER_HOUR an hour per shop, and every one is recorded.
import { randomUUID } from "node:crypto";
import db from "~/db.server";
import { formatShopTime } from "~/format";
import { normalizeEmail } from "~/modules/messaging/consent";
import { FLOWS, isFlowId, type FlowId } from "./flows";

export const TEST_SENDS_PER_HOUR = 5;
const HOUR = 60 * 60 * 1000;

/** A test as the editor lists it; `when` in the shop's time zone. */
export type LoggedTest = { id: string; to: string; flow: string; when: string; outcome: string; detail: string | null };

/** The one address a test goes to, or why it cannot go: a `requested` address must be that one. */
export function testRecipient(contactEmail: string | null, requested: unknown): { to: string } | { error: string } {
  if (!contactEmail) return { error: "Your store has no contact email yet: add one in Shopify (Settings › Store details), then send the test." };
  if (requested !== undefined && (typeof requested !== "string" || normalizeEmail(requested) !== normalizeEmail(contactEmail))) {
    return { error: `Tests go only to your store's contact email, ${contactEmail}.` };
  }
  return { to: contactEmail };
}

/**
 * Takes one of the hour's tests for the shop, recorded as being sent; null when the hour's are
 * used up. Recorded first and counted after, so two at once can never both take the last one.
 */
export async function takeTestSend(shop: string, flow: FlowId, to: string, now: Date): Promise<string | null> {
  const id = randomUUID();
  await db.testSend.create({ data: { id, shop, flow, toAddress: to, at: now, outcome: "sending" } });
  const recent = await db.testSend.count({ where: { shop, at: { gt: new Date(now.getTime() - HOUR) } } });
  if (recent <= TEST_SENDS_PER_HOUR) return id;
  await db.testSend.delete({ where: { id } });
  return null;
}

export async function recordTestOutcome(shop: string, id: string, outcome: "sent" | "failed", detail: string | null = null): Promise<void> {
  await db.testSend.updateMany({ where: { shop, id }, data: { outcome, detail } });
}

/** The shop's recent tests, newest first, and how many more it may send this hour. */
export async function testSendLog(shop: string, now: Date): Promise<{ recent: LoggedTest[]; left: number; perHour: number }> {
  const since = new Date(now.getTime() - HOUR);
  const [{ timezone }, rows, used] = await Promise.all([
    db.shop.findUniqueOrThrow({ where: { shop }, select: { timezone: true } }),
    db.testSend.findMany({ where: { shop, outcome: { not: "sending" } }, orderBy: { at: "desc" }, take: TEST_SENDS_PER_HOUR }),
    db.testSend.count({ where: { shop, at: { gt: since } } }),
  ]);
  const recent = rows.map((row) => ({
    id: row.id,
    to: row.toAddress,
    flow: isFlowId(row.flow) ? FLOWS[row.flow].name : row.flow,
    when: formatShopTime(row.at, timezone),
    outcome: row.outcome,
    detail: row.detail,
  }));
  return { recent, left: Math.max(0, TEST_SENDS_PER_HOUR - used), perHour: TEST_SENDS_PER_HOUR };
}
