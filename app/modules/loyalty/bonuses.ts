// Bonuses: points given at once, each once. An account created (Shopify says the customer's
// account is enabled: a guest checkout's customer record earns nothing) while the program is
// live; and a birthday the member gave in the widget, on that day in the shop's time zone, once a
// year. A birthday is given once: a member who could change it could have a birthday every day.
import db, { sql, statementsIn, type Tx } from "~/db.server";
import type { IntakeEvent, WebhookReaction } from "~/modules/intake";
import { localTime } from "~/modules/messaging/timing";
import { post } from "./ledger";
import { parseLoyaltySettings } from "./settings";

async function onAccount(tx: Tx, event: IntakeEvent): Promise<void> {
  const customer = event.customer;
  if (customer?.accountState !== "enabled") return;
  const [row] = await statementsIn(tx).query<{ settings: string }>(sql`SELECT "settings" FROM "Shop" WHERE "shop" = ${event.shop}`);
  const settings = parseLoyaltySettings(row?.settings);
  if (settings.status !== "live" || settings.bonuses.signup === 0) return;
  const posting = {
    sourceKey: `signup:${customer.id}`,
    customerId: customer.id,
    kind: "bonus" as const,
    pendingDelta: 0,
    balanceDelta: settings.bonuses.signup,
  };
  await post(tx, event.shop, { ...posting, reason: "Welcome: account created" }, event.now);
}

export const BONUS_REACTIONS: readonly WebhookReaction[] = [{ topics: ["customers/create", "customers/update"], react: onAccount }];

const DAYS_IN_MONTH = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

export type BirthdayResult = { saved: true } | { saved: false; reason: "invalid" | "already_given" | "not_live" };

/** Keeps the member's birthday (month 1–12, day within it; 29 February is celebrated on the 28th in other years). */
export async function giveBirthday(shop: string, customerId: string, month: unknown, day: unknown, now: Date): Promise<BirthdayResult> {
  const m = Number(month);
  const d = Number(day);
  if (!Number.isInteger(m) || m < 1 || m > 12 || !Number.isInteger(d) || d < 1 || d > DAYS_IN_MONTH[m - 1]!) return { saved: false, reason: "invalid" };
  return db.$transaction(async (tx) => {
    const row = await tx.shop.findUnique({ where: { shop }, select: { settings: true } });
    if (parseLoyaltySettings(row?.settings).status === "off") return { saved: false, reason: "not_live" };
    const statements = statementsIn(tx);
    await statements.execute(sql`
      INSERT INTO "LoyaltyAccount" ("shop", "customerId", "balance", "pending", "updatedAt") VALUES (${shop}, ${customerId}, 0, 0, ${now})
      ON CONFLICT ("shop", "customerId") DO NOTHING`);
    const set = await statements.execute(sql`
      UPDATE "LoyaltyAccount" SET "birthMonth" = ${m}, "birthDay" = ${d}, "updatedAt" = ${now}
      WHERE "shop" = ${shop} AND "customerId" = ${customerId} AND "birthMonth" IS NULL`);
    return set === 1 ? { saved: true } : { saved: false, reason: "already_given" };
  });
}

/** Gives today's birthday bonuses in every live shop (or only `scope.shop`), on the day in the shop's time zone. */
export async function giveBirthdayBonuses(now: Date, scope: { shop?: string }): Promise<number> {
  const shops = await db.shop.findMany({
    where: { ...(scope.shop ? { shop: scope.shop } : {}), uninstalledAt: null },
    select: { shop: true, settings: true, timezone: true },
  });
  let given = 0;
  for (const shop of shops) {
    const settings = parseLoyaltySettings(shop.settings);
    if (settings.status !== "live" || settings.bonuses.birthday === 0) continue;
    const today = localTime(now, shop.timezone);
    const leapYear = (today.year % 4 === 0 && today.year % 100 !== 0) || today.year % 400 === 0;
    const leap = today.month === 2 && today.day === 28 && !leapYear;
    const members = await db.loyaltyAccount.findMany({
      where: { shop: shop.shop, birthMonth: today.month, birthDay: leap ? { in: [28, 29] } : today.day },
      select: { customerId: true },
    });
    for (const { customerId } of members) {
      const posting = {
        sourceKey: `birthday:${customerId}:${today.year}`,
        customerId,
        kind: "bonus" as const,
        pendingDelta: 0,
        balanceDelta: settings.bonuses.birthday,
      };
      const posted = await db.$transaction((tx) => post(tx, shop.shop, { ...posting, reason: "Happy birthday!" }, now));
      if (posted === "posted") given++;
    }
  }
  return given;
}
