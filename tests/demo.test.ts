// `npm run demo` as a new user runs it: a fresh database, the demo shop installed, the day's
// signed webhooks through the real endpoints, every effect visible in the summary.
import { describe, expect, it } from "vitest";
import { runProcess } from "./support/run-process";

function runDemo(env: Record<string, string> = {}, args: string[] = []) {
  const { NODE_ENV: _testEnv, DATABASE_URL: _testDb, ...inherited } = process.env;
  return runProcess("node_modules/.bin/tsx", ["scripts/demo.ts", "--exit", "--port", "0", ...args], {
    env: { ...inherited, ...env } as NodeJS.ProcessEnv,
    timeout: 120_000,
  });
}

describe("npm run demo", () => {
  // The demo runs on its own clock: the same story at any real hour, date and machine time zone.
  it.each([
    ["now, here", {}, []],
    ["at 02:30 in the shop's night, on a machine in Kiritimati (UTC+14)", { TZ: "Pacific/Kiritimati" }, ["--now", "2026-12-01T07:30:00Z"]],
    ["on the last night of a year, on a machine in Honolulu", { TZ: "Pacific/Honolulu" }, ["--now", "2027-12-31T09:59:00Z"]],
  ] as [string, Record<string, string>, string[]][])(
    "installs the demo shop and replays a day of webhooks, every one accepted (%s)",
    async (_when, env, args) => {
      const demo = await runDemo(env, args);
      expect(demo.stderr).toBe("");
      expect(demo.status).toBe(0);
      const out = demo.stdout;
      expect(out).toContain("Larch & Ember Coffee (larch-and-ember.myshopify.com) installed");
      const deliveries = out.split("\n").filter((line) => /^\s+\d\d:\d\d\s+\S+\/\S+\s+\d{3}\s/.test(line));
      expect(deliveries.length).toBeGreaterThanOrEqual(25);
      expect(deliveries.every((line) => / 200 /.test(line))).toBe(true);
      for (const topic of [
        "orders/create",
        "orders/paid",
        "orders/cancelled",
        "fulfillments/create",
        "fulfillments/update",
        "refunds/create",
        "customers/data_request",
      ]) {
        expect(out).toContain(topic);
      }
      expect(out).toContain("(delivered) updated");
      expect(out).toContain("duplicate, ignored");
      expect(out).toContain("older than the state held, mirror unchanged");
      expect(out).toContain("The app now holds 6 customers, 6 orders, 3 fulfillments and 2 refunds.");
      // The weeks after: every flow sends, and the cancelled order's thank-you is held back.
      for (const flow of ["Thank-you", "Delivery check-in", "Review request", "NPS survey", "Re-order reminder", "Goes well with", "After a return"]) {
        expect(out).toMatch(new RegExp(`✉ ${flow} +to \\S+@example\\.com`));
      }
      expect(out).toContain("✓ the merchant set re-order intervals: Ethiopia Guji Natural 21 days");
      // Delivery promises, live from install: the two orders that never left are caught and apologised for, once each.
      expect(out).toMatch(/✉ Delay apology +to ama\.owusu@example\.com +“Your order #1003 is running late: we're sorry”/);
      expect(out.match(/✉ Delay apology/g)).toHaveLength(2);
      expect(out).toMatch(/⚠ #1003, not dispatched in time: Was due to leave by .+\. Apology written to the outbox/);
      expect(out).toMatch(/On time: 3 of 5 settled orders/);
      // The inbox: Tomás's detractor score answered from the admin, his answer back in the thread, then resolved.
      expect(out).toContain("a detractor, so a conversation opened in the inbox.");
      expect(out).toContain("the reply went by email, Reply-To the store: “About your order #1002” (outbox).");
      expect(out).toContain("back in the thread, and the conversation opened again.");
      expect(out).toContain("The merchant resolved it: resolved, 2 messages in the thread.");
      expect(out).toContain("NPS from 3 answers (Maya 10 and a little more, Priya 8, Tomás 4): 0; by product type:");
      expect(out).toContain("“Something else instead of your Stoneware Mug?”");
      expect(out).toContain("“Running low, Maya?”");
      // Customers answer the review requests; the stars reach Shopify and a product page shows them.
      expect(out).toContain("✓ published: Maya C. on Ethiopia Guji Natural (the store replied)");
      // The merchant moderates: Priya's low rating waited, and is answered and published.
      expect(out).toContain("answered Priya's 2-star review and published it");
      expect(out).toContain("✓ published: Priya N. on Stoneware Mug (the store replied)");
      // Rewards: one code per published review, whatever its rating, created in the Shopify stand-in.
      expect(out).toMatch(/🎁 Priya N\. \(2★\) earned a 10% code: THANKS-[A-Z0-9]{6}, created in Shopify, emailed \(outbox\)/);
      expect(out.match(/🎁 /g)).toHaveLength(3);
      expect(out).toContain("1 low rating opened a case for a personal reply; the stars of 3 products were written to Shopify.");
      expect(out).toContain("Ethiopia Guji Natural shows 5 stars from 1 review, with the store's reply.");
      expect(out).toContain("A guest wrote one on that page (“Great as cold brew”): pending, unverified, waiting for the merchant in the admin.");
      // A shopper's question, answered by the merchant; the product page lists it.
      expect(out).toContain("Ren asked “Is the roast date printed on the bag?” on the product page (sent); the merchant answered it in the admin.");
      expect(out).toContain("Publishing it invited 2 recent buyers who accepted marketing to answer too (never the asker).");
      expect(out).toContain("The answer notice to Ren: “Your question about the Ethiopia Guji Natural has an answer”");
      expect(out).toContain("The product page lists 1 answered question.");
      expect(out).toContain("“Thank you for your order, Tomás”");
      expect(out).toContain("✗ Thank-you for #1004: order cancelled");
      // Loyalty, launched at install: points pending from payment, approved after the return window, voided and taken back.
      expect(out).toContain("✓ the merchant launched the loyalty program");
      expect(out).toContain("Tomás: 173 approved, 0 pending (earn 197, reverse -24, approve 173)");
      expect(out).toContain("Jonas: 0 approved, 0 pending (earn 54, void -54)");
      expect(out).toContain("Ama: 0 approved, 74 pending (earn 74)");
      // Referrals: Maya's code created in Shopify, Lena's order through her link rewarded after its window, Maya's points spent on a code.
      expect(out).toContain("✓ the merchant launched the referral program");
      expect(out).toMatch(/Maya opened the block and got her code FRIEND-[A-Z0-9]{6}, created in Shopify for any customer, once each\./);
      expect(out).toMatch(/Lena followed Maya's link: sent on to \/discount\/FRIEND-[A-Z0-9]{6}\?redirect=%2F/);
      expect(out).toContain("Lena ordered with it (#1007); the merchant's Referrals page shows it rewarded: Maya earned 500 points");
      expect(out).toMatch(/Maya redeemed 500 points for \$5\.00 off: code POINTS-[A-Z0-9]{6}, created in Shopify; 46 points left\./);
    },
    120_000,
  );

  it("refuses to run with NODE_ENV=production", async () => {
    const demo = await runDemo({ NODE_ENV: "production" });
    expect(demo.status).toBe(1);
    expect(demo.stderr).toContain("refuses to run with NODE_ENV=production");
  });
});
