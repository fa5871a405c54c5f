// What the admin's Activity page reads: every follow-up message of a shop, newest first.
import db from "~/db.server";

export type ActivityFilter = { flow?: string | null; status?: string | null; page?: number };
export const ACTIVITY_PAGE_SIZE = 50;

export async function listMessages(shop: string, filter: ActivityFilter = {}) {
  const where = {
    shop,
    ...(filter.flow ? { flow: filter.flow } : {}),
    ...(filter.status ? { status: filter.status } : {}),
  };
  const page = Math.max(1, filter.page ?? 1);
  const [rows, total] = await Promise.all([
    db.message.findMany({
      where,
      orderBy: [{ sentAt: { sort: "desc", nulls: "last" } }, { dueAt: "desc" }],
      skip: (page - 1) * ACTIVITY_PAGE_SIZE,
      take: ACTIVITY_PAGE_SIZE,
      select: { id: true, flow: true, status: true, toAddress: true, subject: true, dueAt: true, sentAt: true, detail: true, orderId: true, attempts: true },
    }),
    db.message.count({ where }),
  ]);
  const orderIds = [...new Set(rows.map((r) => r.orderId).filter((id): id is string => Boolean(id)))];
  const orders = await db.order.findMany({ where: { shop, id: { in: orderIds } }, select: { id: true, name: true, email: true } });
  const byId = new Map(orders.map((o) => [o.id, o]));
  return {
    total,
    page,
    rows: rows.map((row) => ({
      ...row,
      orderName: row.orderId ? (byId.get(row.orderId)?.name ?? null) : null,
      to: row.toAddress ?? (row.orderId ? byId.get(row.orderId)?.email : null) ?? null,
    })),
  };
}

export async function getMessage(shop: string, id: string) {
  return db.message.findFirst({ where: { shop, id } });
}

/** Per flow: how many were sent (or kept in the outbox) and how many wait. */
export async function flowCounts(shop: string): Promise<Record<string, { sent: number; scheduled: number }>> {
  const groups = await db.message.groupBy({ by: ["flow", "status"], where: { shop, status: { in: ["sent", "outbox", "scheduled"] } }, _count: { _all: true } });
  const counts: Record<string, { sent: number; scheduled: number }> = {};
  for (const group of groups) {
    const entry = (counts[group.flow] ??= { sent: 0, scheduled: 0 });
    if (group.status === "scheduled") entry.scheduled += group._count._all;
    else entry.sent += group._count._all;
  }
  return counts;
}
