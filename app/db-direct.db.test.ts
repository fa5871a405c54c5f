// Statements run directly on Prisma's connection (executeDirect, queryDirect: the dispatcher's
// per-message writes; statementsIn: the worker applying a webhook) write what Prisma's own
// queries read back and compare alike: times in the column's format, booleans, whole numbers;
// on SQLite and PostgreSQL.
import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import db, { executeDirect, integerOf, join, queryDirect, sql, statementsIn, timeOf, type TxStatements } from "~/db.server";
import { uniqueShop } from "../tests/support/app";

const AT = new Date("2026-11-20T15:00:00.123Z");

describe("direct statements", () => {
  it("write values that Prisma's queries find and compare as their own", async () => {
    const shop = uniqueShop("direct");
    const ids = [randomUUID(), randomUUID()];
    for (const id of ids) await db.message.create({ data: { id, shop, key: id, flow: "nps", dueAt: AT, status: "scheduled" } });

    const rows = ids.map((id, i) => sql`(${id}, ${i + 2})`);
    const changed = await executeDirect(sql`
      UPDATE "Message" SET "sentAt" = ${AT}, "marketing" = ${true}, "attempts" = CAST(v."column2" AS INTEGER)
      FROM (VALUES ${join(rows)}) AS v
      WHERE "Message"."shop" = ${shop} AND "Message"."id" = v."column1"`);
    expect(changed).toBe(2);
    expect(await executeDirect(sql`UPDATE "Message" SET "detail" = 'x' WHERE "shop" = ${shop} AND "id" = ${"nobody"}`)).toBe(0);

    const found = await db.message.findMany({
      where: { shop, sentAt: AT, marketing: true },
      orderBy: { attempts: "asc" },
      select: { id: true, attempts: true, sentAt: true },
    });
    expect(found).toEqual([
      { id: ids[0], attempts: 2, sentAt: AT },
      { id: ids[1], attempts: 3, sentAt: AT },
    ]);
    expect(await db.message.count({ where: { shop, sentAt: { gte: AT } } })).toBe(2);
    expect(await db.message.count({ where: { shop, sentAt: { gt: AT } } })).toBe(0);
    expect(await db.message.count({ where: { shop, sentAt: { lt: new Date(AT.getTime() + 1) } } })).toBe(2);

    const returned = await queryDirect<{ id: string }>(sql`
      UPDATE "Message" SET "detail" = ${"done"} WHERE "shop" = ${shop} AND "sentAt" = ${AT} AND "attempts" = ${3} RETURNING "id"`);
    expect(returned).toEqual([{ id: ids[1] }]);
  });

  it("never land inside another flow's open transaction: its rollback keeps a webhook stored meanwhile", async () => {
    const shop = uniqueShop("outside");
    const inside = randomUUID();
    const outside = randomUUID();
    let opened!: () => void;
    const open = new Promise<void>((resolve) => (opened = resolve));
    const rolledBack = db
      .$transaction(async (tx) => {
        await tx.message.create({ data: { id: inside, shop, key: inside, flow: "nps", dueAt: AT, status: "scheduled" } });
        opened();
        // Long enough for the write below to be issued while this transaction is open.
        await new Promise((resolve) => setTimeout(resolve, 50));
        throw new Error("the merchant's save failed");
      })
      .catch((error: Error) => error.message);
    await open;
    // A direct write from elsewhere in the process (as the inbox stores a webhook) while the transaction is open.
    const written = executeDirect(
      sql`INSERT INTO "Message" ("id", "shop", "key", "flow", "dueAt", "status", "updatedAt") VALUES (${outside}, ${shop}, ${outside}, 'nps', ${AT}, 'scheduled', ${AT})`,
    );
    expect(await rolledBack).toBe("the merchant's save failed");
    expect(await written).toBe(1);
    expect(await db.message.findMany({ where: { shop }, select: { id: true } })).toEqual([{ id: outside }]);
  });

  it("inside a transaction commit and roll back with it, and read back what Prisma wrote", async () => {
    const shop = uniqueShop("within");
    const [kept, undone] = [randomUUID(), randomUUID()];
    const insert = (statements: TxStatements, id: string) =>
      statements.execute(sql`
        INSERT INTO "Message" ("id", "shop", "key", "flow", "dueAt", "status", "marketing", "attempts", "updatedAt")
        VALUES (${id}, ${shop}, ${id}, 'nps', ${AT}, 'scheduled', ${true}, ${4}, ${AT})`);
    let leaked: TxStatements | undefined;
    await db.$transaction(async (tx) => {
      leaked = statementsIn(tx);
      expect(await insert(leaked, kept)).toBe(1);
      // Prisma's own query in the same transaction sees the raw write, and the raw read sees Prisma's.
      expect(await tx.message.count({ where: { shop, dueAt: AT, marketing: true } })).toBe(1);
      await tx.message.update({ where: { id: kept }, data: { sentAt: AT } });
      const [row] = await leaked.query<{ sentAt: unknown; attempts: unknown; total: unknown }>(
        sql`SELECT "sentAt", "attempts", (SELECT SUM("attempts") FROM "Message" WHERE "shop" = ${shop}) AS "total" FROM "Message" WHERE "id" = ${kept}`,
      );
      expect(timeOf(row!.sentAt)).toEqual(AT);
      expect([integerOf(row!.attempts), integerOf(row!.total)]).toEqual([4, 4]);
    });
    const failed = await db
      .$transaction(async (tx) => {
        await insert(statementsIn(tx), undone);
        throw new Error("a reaction failed");
      })
      .catch((error: Error) => error.message);
    expect(failed).toBe("a reaction failed");
    expect(await db.message.findMany({ where: { shop }, select: { id: true, sentAt: true } })).toEqual([{ id: kept, sentAt: AT }]);
    // Kept past its transaction, they refuse to run rather than write outside it (SQLite's one connection) or on a released one.
    await expect(insert(leaked!, randomUUID())).rejects.toThrow();
  });
});
