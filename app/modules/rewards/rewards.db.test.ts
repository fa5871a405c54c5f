// Rewards issued in Shopify exactly once, on SQLite and PostgreSQL: one-use discount codes
// (discountCodeBasicCreate / codeDiscountNodeByCode) and store credit (storeCreditAccountCredit)
// through the app's real Shopify library, with Shopify's Admin API stood in for at the HTTP edge.
// The stand-in checks every request's variables against the published 2025-10 schema and
// answers as Shopify documents it: created, refused with userErrors, THROTTLED, HTTP 429, or
// an answer lost after the work was done.
import { readFileSync } from "node:fs";
import { gunzipSync } from "node:zlib";
import { randomUUID } from "node:crypto";
import { buildClientSchema, getVariableValues, parse, type OperationDefinitionNode } from "graphql";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import db from "~/db.server";
import { backoffDelayMs } from "~/modules/jobs/lease";
import { installSession } from "../../../tests/support/admin";
import {
  answerDiscountCalls,
  API_VERSION,
  costExtension,
  JSON_REPLY,
  standInForShopify,
  type GraphqlRequest,
  type HeldDiscount,
  type ShopifyEdge,
} from "../../../tests/support/shopify-edge";
import { issueDueRewards, MAX_REWARD_ATTEMPTS, recordReward, REWARD_BACKOFF, type Reward, type RewardOwners, type RewardTerms } from "~/modules/rewards";

const NOW = new Date("2026-11-20T12:00:00Z");
const later = (ms: number) => new Date(NOW.getTime() + ms);
const DAY = 86_400_000;

const schema = buildClientSchema(
  JSON.parse(gunzipSync(readFileSync(`node_modules/@shopify/dev-mcp/dist/data/admin_${API_VERSION}.json.gz`)).toString("utf8")).data,
);
/** Requests whose variables the published schema refuses (Shopify would answer them with an error). */
const invalid: string[] = [];
function checkVariables(body: GraphqlRequest) {
  const operation = parse(body.query).definitions.find((d): d is OperationDefinitionNode => d.kind === "OperationDefinition")!;
  const { errors } = getVariableValues(schema, operation.variableDefinitions ?? [], body.variables ?? {});
  if (errors) invalid.push(...errors.map((e) => `${operation.name?.value}: ${e.message}`));
}

let edge: ShopifyEdge;
beforeAll(() => {
  edge = standInForShopify();
});
afterAll(async () => {
  await edge?.restore();
});
afterEach(() => {
  expect(invalid).toEqual([]);
});

type Reply = { statusCode: number; data: object; responseOptions?: { headers: Record<string, string> } };
const ok = (data: object): Reply => ({ statusCode: 200, data: { data, extensions: costExtension() }, responseOptions: JSON_REPLY });
const THROTTLED: Reply = {
  statusCode: 200,
  data: {
    errors: [{ message: "Throttled", extensions: { code: "THROTTLED", documentation: "https://shopify.dev/api/usage/rate-limits" } }],
    extensions: {
      cost: { requestedQueryCost: 10, actualQueryCost: null, throttleStatus: { maximumAvailable: 2000, currentlyAvailable: 4, restoreRate: 100 } },
    },
  },
  responseOptions: JSON_REPLY,
};
const TOO_MANY_REQUESTS: Reply = {
  statusCode: 429,
  data: { errors: "Exceeded 2 calls per second for api client. Reduce request rates to resume uninterrupted service." },
  responseOptions: { headers: { ...JSON_REPLY.headers, "retry-after": "2.0" } },
};
const UNAVAILABLE: Reply = { statusCode: 503, data: { errors: "Service unavailable" }, responseOptions: JSON_REPLY };

type CreditVariables = { id: string; creditInput: { creditAmount: { amount: string; currencyCode: string }; expiresAt?: string } };
type Credit = { id: string; customer: string; amount: string; currencyCode: string; expiresAt: string | null };
/** A reply to the n-th call of a kind instead of Shopify's own; `apply` does what Shopify would (so an answer can be lost after it). */
type Override = (apply: () => Reply) => Reply;

/**
 * One shop's Admin API: its discounts and store credits kept as Shopify keeps them. `overrides`
 * answer the n-th discount create or credit in their own way.
 */
function shopifyFor(shop: string, overrides: { create?: Override[]; credit?: Override[] } = {}) {
  const discounts: HeldDiscount[] = [];
  const credits: Credit[] = [];
  const calls = { create: 0, credit: 0, lookup: 0 };
  const credit = (variables: CreditVariables): Reply => {
    const { creditAmount, expiresAt } = variables.creditInput;
    if (!/^gid:\/\/shopify\/Customer\/\d+$/.test(variables.id)) {
      return ok({
        storeCreditAccountCredit: {
          storeCreditAccountTransaction: null,
          userErrors: [{ field: ["id"], code: "OWNER_NOT_FOUND", message: "Owner does not exist." }],
        },
      });
    }
    const id = `gid://shopify/StoreCreditAccountCreditTransaction/${90210 + credits.length}`;
    credits.push({ id, customer: variables.id, amount: creditAmount.amount, currencyCode: creditAmount.currencyCode, expiresAt: expiresAt ?? null });
    return ok({ storeCreditAccountCredit: { storeCreditAccountTransaction: { id, expiresAt: expiresAt ?? null }, userErrors: [] } });
  };
  edge.agent
    .get(`https://${shop}`)
    .intercept({ path: `/admin/api/${API_VERSION}/graphql.json`, method: "POST" })
    .reply((options) => {
      const body = JSON.parse(String(options.body)) as GraphqlRequest;
      checkVariables(body);
      if (/mutation CreditStoreCredit/.test(body.query)) {
        const override = overrides.credit?.[calls.credit];
        calls.credit++;
        const apply = () => credit(body.variables as CreditVariables);
        return override ? override(apply) : apply();
      }
      if (/mutation CreateCodeDiscount/.test(body.query)) {
        const override = overrides.create?.[calls.create];
        calls.create++;
        const apply = (): Reply => ({ statusCode: 200, data: answerDiscountCalls(discounts, body)!, responseOptions: JSON_REPLY });
        return override ? override(apply) : apply();
      }
      if (/query DiscountByCode/.test(body.query)) {
        calls.lookup++;
        return { statusCode: 200, data: answerDiscountCalls(discounts, body)!, responseOptions: JSON_REPLY };
      }
      throw new Error(`unexpected Admin API call: ${body.query}`);
    })
    .persist();
  return { discounts, credits, calls };
}

/** The test owner: names its discounts, and is told what became of its rewards. */
function testOwner() {
  const told = { issued: [] as Reward[], refused: [] as Reward[] };
  const owners: RewardOwners = {
    thanks: {
      discount: { title: "Thanks from the test", codePrefix: "TEST" },
      async issued(tx, reward) {
        told.issued.push(reward);
        // The owner's own write commits with the reward's: here, the email about it.
        const message = await tx.message.create({
          data: {
            id: randomUUID(),
            shop: reward.shop,
            key: `reward:${reward.sourceKey}`,
            flow: "reward_test",
            customerId: reward.customerId,
            dueAt: NOW,
            status: "scheduled",
          },
        });
        return message.id;
      },
      async refused(_tx, reward) {
        told.refused.push(reward);
        return true; // e.g. the points that paid for it are given back
      },
    },
  };
  return { owners, told };
}

async function newShop() {
  const shop = `rewards-${randomUUID().slice(0, 8)}.myshopify.com`;
  await installSession(shop);
  return shop;
}

const CUSTOMER = "6311500000001";
const discountTerms = (overrides: Partial<Extract<RewardTerms, { kind: "discount_code" }>> = {}): RewardTerms => ({
  kind: "discount_code",
  customerId: CUSTOMER,
  currency: "USD",
  valueType: "percentage",
  value: 15,
  expiresInDays: 30,
  ...overrides,
});
const creditTerms = (overrides: Partial<Extract<RewardTerms, { kind: "store_credit" }>> = {}): RewardTerms => ({
  kind: "store_credit",
  customerId: CUSTOMER,
  currency: "EUR",
  value: 550,
  expiresInDays: 90,
  ...overrides,
});

async function record(shop: string, sourceKey: string, terms: RewardTerms) {
  await db.$transaction((tx) => recordReward(tx, shop, sourceKey, terms, NOW));
}
const rewardOf = (shop: string, sourceKey: string) => db.reward.findUniqueOrThrow({ where: { shop_sourceKey: { shop, sourceKey } } });

describe("issuing rewards", () => {
  it("issues each reward once, code or credit, however many workers run at once, and tells the owner once", async () => {
    const shop = await newShop();
    const shopify = shopifyFor(shop);
    const { owners, told } = testOwner();
    for (let i = 0; i < 3; i++) {
      await record(shop, `thanks:code-${i}`, discountTerms());
      await record(shop, `thanks:credit-${i}`, creditTerms());
    }
    // Recording again (a duplicated webhook, a second publish) changes nothing, whatever the terms.
    await record(shop, "thanks:credit-0", creditTerms({ value: 99_999 }));
    expect(await db.reward.count({ where: { shop } })).toBe(6);

    const reports = await Promise.all([1, 2, 3].map(() => issueDueRewards(NOW, { shop, owners })));
    expect(reports.reduce((sum, r) => sum + r.issued, 0)).toBe(6);
    expect(shopify.calls).toMatchObject({ create: 3, credit: 3 });
    expect(shopify.discounts).toHaveLength(3);
    expect(shopify.credits).toEqual(
      Array.from({ length: 3 }, () => ({
        id: expect.any(String),
        customer: `gid://shopify/Customer/${CUSTOMER}`,
        amount: "5.50",
        currencyCode: "EUR",
        expiresAt: later(90 * DAY).toISOString(),
      })),
    );
    expect(told.issued.map((r) => r.sourceKey).sort()).toEqual([
      "thanks:code-0",
      "thanks:code-1",
      "thanks:code-2",
      "thanks:credit-0",
      "thanks:credit-1",
      "thanks:credit-2",
    ]);

    const code = await rewardOf(shop, "thanks:code-0");
    expect(code).toMatchObject({
      status: "issued",
      code: expect.stringMatching(/^TEST-[2-9A-HJKMNP-Z]{6}$/),
      endsAt: later(30 * DAY),
      issuedAt: NOW,
      leaseOwner: null,
      lastError: null,
    });
    expect(shopify.discounts.find((d) => d.code === code.code)).toMatchObject({ id: code.shopifyId, customers: [`gid://shopify/Customer/${CUSTOMER}`] });
    const credit = await rewardOf(shop, "thanks:credit-0");
    expect(credit).toMatchObject({ status: "issued", code: null, value: 550, endsAt: later(90 * DAY), issuedAt: NOW });
    expect(shopify.credits.map((c) => c.id)).toContain(credit.shopifyId);
    expect(await db.message.findUnique({ where: { id: credit.messageId! } })).toMatchObject({ shop, key: "reward:thanks:credit-0" });

    expect(await issueDueRewards(later(DAY), { shop, owners })).toEqual({ issued: 0, retrying: 0, refused: 0, held: 0 });
    expect(shopify.calls).toMatchObject({ create: 3, credit: 3 });
  });

  it("retries a discount code whose answer was lost, then creates it once", async () => {
    const shop = await newShop();
    const shopify = shopifyFor(shop, { create: [() => UNAVAILABLE] });
    const { owners } = testOwner();
    await record(shop, "thanks:1", discountTerms({ valueType: "fixed_amount", value: 1000 }));
    expect(await issueDueRewards(NOW, { shop, owners })).toEqual({ issued: 0, retrying: 1, refused: 0, held: 0 });
    const waiting = await rewardOf(shop, "thanks:1");
    expect(waiting).toMatchObject({ status: "issuing", attempts: 1, retryAt: later(backoffDelayMs(REWARD_BACKOFF, 1)), code: expect.stringMatching(/^TEST-/) });
    expect(await issueDueRewards(later(30_000), { shop, owners })).toMatchObject({ issued: 0, retrying: 0 }); // still resting

    expect(await issueDueRewards(waiting.retryAt!, { shop, owners })).toMatchObject({ issued: 1 });
    expect(shopify.calls).toEqual({ create: 2, credit: 0, lookup: 1 }); // looked up first: nothing held, so created
    expect(shopify.discounts).toEqual([expect.objectContaining({ code: waiting.code })]);
    expect(await rewardOf(shop, "thanks:1")).toMatchObject({ status: "issued", attempts: 1, lastError: null, retryAt: null });
  });

  it("keeps Shopify's reason for a refused discount for the merchant, and the owner takes the reward back", async () => {
    const shop = await newShop();
    const refusal = { field: ["basicCodeDiscount", "context"], code: "INVALID", message: "Customer does not exist" };
    const shopify = shopifyFor(shop, { create: [() => ok({ discountCodeBasicCreate: { codeDiscountNode: null, userErrors: [refusal] } })] });
    const { owners, told } = testOwner();
    await record(shop, "thanks:1", discountTerms());
    expect(await issueDueRewards(NOW, { shop, owners })).toEqual({ issued: 0, retrying: 0, refused: 1, held: 0 });
    expect(await rewardOf(shop, "thanks:1")).toMatchObject({ status: "returned", lastError: "Customer does not exist", leaseOwner: null });
    expect(told.refused.map((r) => ({ sourceKey: r.sourceKey, status: r.status, lastError: r.lastError }))).toEqual([
      { sourceKey: "thanks:1", status: "refused", lastError: "Customer does not exist" },
    ]);
    expect(await issueDueRewards(later(DAY), { shop, owners })).toMatchObject({ refused: 0 }); // never tried again
    expect(shopify.calls.create).toBe(1);
    expect(told.issued).toEqual([]);
  });

  it("stays refused, not returned, when its owner has nothing to take back", async () => {
    const shop = await newShop();
    shopifyFor(shop, {
      credit: [
        () =>
          ok({
            storeCreditAccountCredit: {
              storeCreditAccountTransaction: null,
              userErrors: [
                {
                  field: ["creditInput", "creditAmount"],
                  code: "MISMATCHING_CURRENCY",
                  message: "The currency provided does not match the currency of the store credit account.",
                },
              ],
            },
          }),
      ],
    });
    await record(shop, "plain:1", creditTerms());
    expect(await issueDueRewards(NOW, { shop, owners: { plain: {} } })).toMatchObject({ refused: 1 });
    expect(await rewardOf(shop, "plain:1")).toMatchObject({
      status: "refused",
      lastError: "The currency provided does not match the currency of the store credit account.",
    });
  });

  it("gives up after a bounded number of tries when Shopify cannot be reached, and says so", async () => {
    const shop = await newShop();
    const { owners, told } = testOwner();
    await record(shop, "thanks:1", creditTerms());
    const unreachable = () => Promise.reject(new Error("no offline session"));
    let at = NOW;
    for (let attempt = 1; attempt < MAX_REWARD_ATTEMPTS; attempt++) {
      expect(await issueDueRewards(at, { shop, owners, graphqlFor: unreachable })).toMatchObject({ retrying: 1 });
      const waiting = await rewardOf(shop, "thanks:1");
      expect(waiting).toMatchObject({ status: "recorded", attempts: attempt });
      expect(waiting.retryAt!.getTime() - at.getTime()).toBe(backoffDelayMs(REWARD_BACKOFF, attempt));
      at = waiting.retryAt!;
    }
    expect(await issueDueRewards(at, { shop, owners, graphqlFor: unreachable })).toMatchObject({ refused: 1 });
    expect(await rewardOf(shop, "thanks:1")).toMatchObject({
      status: "returned",
      attempts: MAX_REWARD_ATTEMPTS,
      lastError: `Shopify could not be reached after ${MAX_REWARD_ATTEMPTS} tries: no Admin API access: no offline session`,
    });
    expect(told.refused).toHaveLength(1);
  });
});

describe("store credit", () => {
  it("is credited in the reward's currency, with its expiry, or none when it never expires", async () => {
    const shop = await newShop();
    const shopify = shopifyFor(shop);
    const { owners } = testOwner();
    await record(shop, "thanks:yen", creditTerms({ currency: "JPY", value: 500, expiresInDays: null }));
    expect(await issueDueRewards(NOW, { shop, owners })).toMatchObject({ issued: 1 });
    expect(shopify.credits).toEqual([
      { id: expect.any(String), customer: `gid://shopify/Customer/${CUSTOMER}`, amount: "500", currencyCode: "JPY", expiresAt: null },
    ]);
    expect(await rewardOf(shop, "thanks:yen")).toMatchObject({ status: "issued", endsAt: null, shopifyId: shopify.credits[0]!.id });
  });

  it("waits with growing pauses while Shopify throttles (THROTTLED, then HTTP 429), then credits once", async () => {
    const shop = await newShop();
    const shopify = shopifyFor(shop, { credit: [() => THROTTLED, () => TOO_MANY_REQUESTS] });
    const { owners } = testOwner();
    await record(shop, "thanks:1", creditTerms());
    expect(await issueDueRewards(NOW, { shop, owners })).toEqual({ issued: 0, retrying: 1, refused: 0, held: 0 });
    // Shopify did nothing: recorded again, so the next try may credit.
    expect(await rewardOf(shop, "thanks:1")).toMatchObject({ status: "recorded", attempts: 1, retryAt: later(60_000), lastError: "Throttled" });
    expect(await issueDueRewards(later(60_000), { shop, owners })).toMatchObject({ retrying: 1 });
    expect(await rewardOf(shop, "thanks:1")).toMatchObject({
      status: "recorded",
      attempts: 2,
      retryAt: later(180_000),
      lastError: expect.stringMatching(/throttling/i),
    });
    expect(await issueDueRewards(later(180_000), { shop, owners })).toMatchObject({ issued: 1 });
    expect(shopify.calls.credit).toBe(3);
    expect(shopify.credits).toHaveLength(1);
  });

  it("is never credited again when Shopify's answer was lost, nor when a worker died waiting: held for the merchant", async () => {
    const shop = await newShop();
    // Shopify credits, and the answer never arrives.
    const shopify = shopifyFor(shop, { credit: [(apply) => (apply(), UNAVAILABLE)] });
    const { owners, told } = testOwner();
    await record(shop, "thanks:lost", creditTerms());
    expect(await issueDueRewards(NOW, { shop, owners })).toEqual({ issued: 0, retrying: 0, refused: 0, held: 1 });
    expect(await rewardOf(shop, "thanks:lost")).toMatchObject({
      status: "issuing",
      leaseOwner: null,
      retryAt: null,
      lastError: expect.stringMatching(
        /^Shopify's answer was lost: check the customer's store credit in Shopify; it is not credited again by itself \(Shopify internal error/,
      ),
    });

    // A worker that died between asking and hearing leaves the same: issuing, its lease running out.
    await record(shop, "thanks:died", creditTerms());
    await db.reward.update({ where: { shop_sourceKey: { shop, sourceKey: "thanks:died" } }, data: { status: "issuing", leaseOwner: "gone", leaseUntil: NOW } });

    for (const at of [later(DAY), later(30 * DAY)])
      expect(await issueDueRewards(at, { shop, owners })).toEqual({ issued: 0, retrying: 0, refused: 0, held: 0 });
    expect(shopify.calls.credit).toBe(1);
    expect(shopify.credits).toHaveLength(1);
    expect(told).toEqual({ issued: [], refused: [] });
  });
});

describe("tenancy", () => {
  it("never touches another shop's rewards, even under the same source key", async () => {
    const [mine, theirs] = [await newShop(), await newShop()];
    const mineShopify = shopifyFor(mine);
    const theirShopify = shopifyFor(theirs);
    const { owners } = testOwner();
    await record(mine, "thanks:1", creditTerms());
    await record(theirs, "thanks:1", discountTerms());
    const before = await rewardOf(theirs, "thanks:1");

    expect(await issueDueRewards(NOW, { shop: mine, owners })).toMatchObject({ issued: 1 });
    expect(await rewardOf(mine, "thanks:1")).toMatchObject({ kind: "store_credit", status: "issued" });
    expect(await rewardOf(theirs, "thanks:1")).toEqual(before);
    expect(theirShopify.calls).toEqual({ create: 0, credit: 0, lookup: 0 });
    expect(mineShopify.calls).toMatchObject({ create: 0, credit: 1 });
  });
});
