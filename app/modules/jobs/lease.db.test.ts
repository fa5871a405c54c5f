// The lease/retry helper on a real table (rewards), on SQLite and PostgreSQL: concurrent
// workers each get their own rows, a lease that ran out is taken again, a resting row waits.
import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import db from "~/db.server";
import { backoffDelayMs, claimable, claimBatch, lease, RELEASED, retryAfter } from "./lease";

const NOW = new Date("2026-11-20T12:00:00Z");
const later = (ms: number) => new Date(NOW.getTime() + ms);
const LEASE_MS = 60_000;

async function rewards(count: number) {
  const shop = `lease-${randomUUID().slice(0, 8)}.myshopify.com`;
  const ids = Array.from({ length: count }, () => randomUUID());
  await db.reward.createMany({
    data: ids.map((id, i) => ({
      id,
      shop,
      sourceKey: `test:${i}`,
      customerId: "1",
      kind: "store_credit",
      valueType: "fixed_amount",
      value: 100,
      currency: "USD",
      status: "recorded",
      createdAt: NOW,
    })),
  });
  return { shop, ids };
}

/** One worker's claim of up to `take` of the shop's rows at `now`. */
function claim(shop: string, owner: string, now: Date, take = 50) {
  const where = { shop, ...claimable(now) };
  return claimBatch(
    () => db.reward.findMany({ where, orderBy: { sourceKey: "asc" }, take, select: { id: true } }),
    (ids) => db.reward.updateManyAndReturn({ where: { id: { in: ids }, ...where }, data: lease(owner, now, LEASE_MS) }),
  );
}

describe("the lease/retry helper", () => {
  it("backs off by its factor up to its ceiling", () => {
    const policy = { firstMs: 1000, factor: 3, maxMs: 20_000 };
    expect([1, 2, 3, 4, 10].map((attempt) => backoffDelayMs(policy, attempt))).toEqual([1000, 3000, 9000, 20_000, 20_000]);
    expect(retryAfter(policy, 2, NOW)).toEqual(later(3000));
  });

  it("gives each row to exactly one of several workers claiming at once", async () => {
    const { shop, ids } = await rewards(30);
    const owners = ["a", "b", "c", "d"];
    const claims = await Promise.all(owners.map((owner) => claim(shop, owner, NOW, 20)));
    const claimed = claims.flatMap((c) => c.claimed.map((row) => row.id));
    expect(new Set(claimed).size).toBe(claimed.length);
    // Whatever a worker lost to another is still held: a second round leaves nothing over.
    const second = await Promise.all(owners.map((owner) => claim(shop, owner, NOW, 20)));
    const all = [...claimed, ...second.flatMap((c) => c.claimed.map((row) => row.id))];
    expect(all.sort()).toEqual([...ids].sort());
    for (const row of await db.reward.findMany({ where: { shop } })) {
      expect(owners).toContain(row.leaseOwner);
      expect(row.leaseUntil).toEqual(later(LEASE_MS));
    }
  });

  it("lets a row go again only once its holder's lease ran out or was released", async () => {
    const { shop, ids } = await rewards(2);
    expect((await claim(shop, "first", NOW)).claimed).toHaveLength(2);
    expect((await claim(shop, "second", later(LEASE_MS - 1))).claimed).toHaveLength(0);
    await db.reward.update({ where: { id: ids[0] }, data: RELEASED });
    expect((await claim(shop, "second", later(1))).claimed.map((row) => row.id)).toEqual([ids[0]]);
    const afterExpiry = await claim(shop, "third", later(LEASE_MS + 1));
    expect(afterExpiry.claimed.map((row) => ({ id: row.id, leaseOwner: row.leaseOwner }))).toEqual([{ id: ids[1], leaseOwner: "third" }]);
  });

  it("leaves a row resting until its retry is due", async () => {
    const { shop, ids } = await rewards(1);
    await db.reward.update({ where: { id: ids[0] }, data: { retryAt: later(5000) } });
    expect(await claim(shop, "w", later(4999))).toEqual({ order: [], claimed: [] });
    expect((await claim(shop, "w", later(5000))).claimed).toHaveLength(1);
  });
});
