// Tenancy across every admin page: shop B, signed in as itself, sends shop A's ids to every
// loader and action of app/routes/app.*.tsx through real HTTP against the built server. Each
// answers 404 for A's ids (or, on a list, shows none of A's data), and none of A's rows change.
// The routes are read from the route files, so a new page fails here until it has probes here
// (or a reviewed reason why it takes no id).
import { randomUUID } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import { Prisma } from "@prisma/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import db from "~/db.server";
import { setProgramStatus } from "~/modules/loyalty";
import { importReviewsCsv } from "~/modules/reviews/csv";
import { deliver, startApp, uniqueShop, type RunningApp } from "../support/app";
import { adminFetch, installSession } from "../support/admin";
import { newId, orderPayload, toShopifyJson } from "../support/payloads";

const ROUTES_DIR = new URL("../../app/routes/", import.meta.url);

/** The admin pages, from the route files: file name, URL pattern, and which handlers it exports. */
const adminRoutes = readdirSync(ROUTES_DIR)
  .filter((file) => /^app\..+\.tsx$/.test(file))
  .map((file) => {
    const source = readFileSync(new URL(file, ROUTES_DIR), "utf8");
    const segments = file
      .replace(/\.tsx$/, "")
      .split(".")
      .filter((s) => s !== "_index");
    return {
      file,
      pattern: `/${segments.map((s) => s.replace(/_$/, "")).join("/")}`,
      loader: /export (const|async function) loader\b/.test(source),
      action: /export (const|async function) action\b/.test(source),
    };
  });

type Seed = Awaited<ReturnType<typeof seedShopA>>;
type Probe = { method: "GET" | "POST"; path: string; body?: BodyInit; json?: unknown; status: number };
/** For each route: its probes with A's ids, and for a handler that cannot take an id, why it is still covered. */
type Plan = { probes(a: Seed): Probe[]; noIds?: Partial<Record<"loader" | "action", string>> };

const data = (file: string) => `?_data=${encodeURIComponent(`routes/${file.replace(/\.tsx$/, "")}`)}`;
const form = (fields: [string, string][]) => {
  const body = new URLSearchParams();
  for (const [key, value] of fields) body.append(key, value);
  return body;
};

const PLANS: Record<string, Plan> = {
  "app._index.tsx": {
    probes: () => [{ method: "GET", path: "/app", status: 200 }],
    noIds: { loader: "the home page of the signed-in shop: A's data must be absent" },
  },
  "app.activity.tsx": {
    probes: () => [{ method: "GET", path: "/app/activity", status: 200 }],
    noIds: { loader: "a list: A's messages must be absent, and A's conversations not counted" },
  },
  "app.inbox.tsx": {
    probes: () => ["open", "replied", "resolved", "all"].map((status) => ({ method: "GET" as const, path: `/app/inbox?status=${status}`, status: 200 })),
    noIds: { loader: "a list: A's conversations and customers must be absent" },
  },
  "app.inbox_.$id.tsx": {
    probes: (a) => [
      { method: "GET", path: `/app/inbox/${a.caseId}`, status: 404 },
      ...[
        [
          ["intent", "reply"],
          ["body", "Hello from B"],
        ],
        [["intent", "resolve"]],
        [["intent", "reopen"]],
      ].map((fields) => ({
        method: "POST" as const,
        path: `/app/inbox/${a.caseId}${data("app.inbox_.$id.tsx")}`,
        body: form(fields as [string, string][]),
        status: 404,
      })),
    ],
  },
  "app.activity_.$id.tsx": { probes: (a) => [{ method: "GET", path: `/app/activity/${a.messageId}`, status: 404 }] },
  "app.flows.tsx": {
    probes: () => [
      { method: "GET", path: "/app/flows", status: 200 },
      { method: "POST", path: `/app/flows${data("app.flows.tsx")}`, json: {}, status: 400 },
    ],
    noIds: {
      loader: "the shop's own flow settings and counts: A's must be absent",
      action: "saves the signed-in shop's settings, which name no rows: A's rows must stay as they were",
    },
  },
  "app.flows_.$flow.tsx": {
    probes: () => [
      { method: "GET", path: "/app/flows/thank_you", status: 200 },
      { method: "POST", path: `/app/flows/thank_you${data("app.flows_.$flow.tsx")}`, json: { intent: "preview", subject: "", body: "" }, status: 200 },
    ],
    noIds: {
      loader: "the parameter is a flow name, the same in every shop: the editor must show none of A's orders or customers",
      action: "a preview of B's flow with B's latest order (or a sample): A's order and customer must be absent",
    },
  },
  "app.loyalty.tsx": {
    probes: () => [
      { method: "GET", path: "/app/loyalty", status: 200 },
      { method: "POST", path: `/app/loyalty${data("app.loyalty.tsx")}`, body: form([["intent", "pause"]]), status: 200 },
      { method: "POST", path: `/app/loyalty${data("app.loyalty.tsx")}`, body: form([["intent", "launch"]]), status: 200 },
    ],
    noIds: {
      loader: "the signed-in shop's program and members: A's members and their points must be absent",
      action: "launches or pauses the signed-in shop's own program, which names no rows: A's program must stay live",
    },
  },
  "app.loyalty_.$customerId.tsx": {
    probes: (a) => [
      { method: "GET", path: `/app/loyalty/${a.customerId}`, status: 404 },
      {
        method: "POST",
        path: `/app/loyalty/${a.customerId}${data("app.loyalty_.$customerId.tsx")}`,
        body: form([
          ["points", "-50"],
          ["reason", "B takes A's customer's points"],
        ]),
        status: 404,
      },
    ],
  },
  "app.loyalty_.settings.tsx": {
    probes: () => [
      { method: "GET", path: "/app/loyalty/settings", status: 200 },
      { method: "POST", path: `/app/loyalty/settings${data("app.loyalty_.settings.tsx")}`, json: {}, status: 400 },
    ],
    noIds: {
      loader: "the signed-in shop's own program settings",
      action: "saves the signed-in shop's settings, which name no rows: A's rows must stay as they were",
    },
  },
  "app.referrals_.settings.tsx": {
    probes: () => [
      { method: "GET", path: "/app/referrals/settings", status: 200 },
      { method: "POST", path: `/app/referrals/settings${data("app.referrals_.settings.tsx")}`, json: {}, status: 400 },
    ],
    noIds: {
      loader: "the signed-in shop's own program settings",
      action: "saves the signed-in shop's settings, which name no rows: A's rows must stay as they were",
    },
  },
  "app.referrals.tsx": {
    probes: (a) => [
      { method: "GET", path: "/app/referrals", status: 200 },
      { method: "GET", path: "/app/referrals?status=flagged", status: 200 },
      { method: "POST", path: `/app/referrals${data("app.referrals.tsx")}`, body: form([["intent", "pause"]]), status: 200 },
      ...["approve", "reject"].map((intent) => ({
        method: "POST" as const,
        path: `/app/referrals${data("app.referrals.tsx")}`,
        body: form([
          ["intent", intent],
          ["referral_id", a.referralId],
        ]),
        status: 404,
      })),
    ],
    noIds: { loader: "a list: A's referrals, advocates and friends must be absent" },
  },
  "app.nps.tsx": {
    probes: () => [{ method: "GET", path: "/app/nps", status: 200 }],
    noIds: { loader: "the signed-in shop's answers: A's scores, comments and customers must be absent" },
  },
  "app.promises_.settings.tsx": {
    probes: () => [
      { method: "GET", path: "/app/promises/settings", status: 200 },
      { method: "POST", path: `/app/promises/settings${data("app.promises_.settings.tsx")}`, json: {}, status: 400 },
    ],
    noIds: {
      loader: "the signed-in shop's own promise settings",
      action: "saves the signed-in shop's settings, which name no rows: A's rows must stay as they were",
    },
  },
  "app.promises.tsx": {
    probes: (a) => [
      { method: "GET", path: "/app/promises", status: 200 },
      ...["approve", "decline"].map((intent) => ({
        method: "POST" as const,
        path: `/app/promises${data("app.promises.tsx")}`,
        body: form([
          ["intent", intent],
          ["order_id", a.orderId],
          ["kind", "late_dispatch"],
        ]),
        status: 404,
      })),
    ],
    noIds: { loader: "a list: A's orders at risk and broken promises must be absent" },
  },
  "app.privacy.tsx": { probes: () => [{ method: "GET", path: "/app/privacy", status: 200 }], noIds: { loader: "a list: A's data requests must be absent" } },
  "app.privacy.$id.tsx": { probes: (a) => [{ method: "GET", path: `/app/privacy/${a.dataRequestId}`, status: 404 }] },
  "app.questions.tsx": {
    probes: (a) => [
      { method: "GET", path: "/app/questions", status: 200 },
      ...["publish", "hide"].map((intent) => ({
        method: "POST" as const,
        path: `/app/questions${data("app.questions.tsx")}`,
        body: form([["intent", intent], ...a.questionIds.map((id): [string, string] => ["id", id])]),
        status: 200,
      })),
    ],
    noIds: { loader: "a list: A's questions must be absent" },
  },
  "app.questions_.$id.tsx": {
    probes: (a) => {
      const path = `/app/questions/${a.questionIds[0]}${data("app.questions_.$id.tsx")}`;
      return [
        { method: "GET", path: `/app/questions/${a.questionIds[0]}`, status: 404 },
        {
          method: "POST",
          path,
          body: form([
            ["intent", "answer"],
            ["answer", "B answers A's question"],
          ]),
          status: 404,
        },
        { method: "POST", path, body: form([["intent", "publish"]]), status: 404 },
        { method: "POST", path, body: form([["intent", "hide"]]), status: 404 },
        {
          method: "POST",
          path,
          body: form([
            ["intent", "publish-answer"],
            ["answerId", a.answerId],
          ]),
          status: 404,
        },
        {
          method: "POST",
          path,
          body: form([
            ["intent", "hide-answer"],
            ["answerId", a.answerId],
          ]),
          status: 404,
        },
      ];
    },
  },
  "app.reviews.tsx": {
    probes: (a) => [
      { method: "GET", path: "/app/reviews", status: 200 },
      ...["publish", "hide"].map((intent) => ({
        method: "POST" as const,
        path: `/app/reviews${data("app.reviews.tsx")}`,
        body: form([["intent", intent], ...a.reviewIds.map((id): [string, string] => ["id", id])]),
        status: 200,
      })),
    ],
    noIds: { loader: "a list: A's reviews must be absent" },
  },
  "app.reviews_.$id.tsx": {
    probes: (a) => {
      const probes: Probe[] = [];
      for (const id of a.reviewIds) {
        const path = `/app/reviews/${id}${data("app.reviews_.$id.tsx")}`;
        probes.push(
          { method: "GET", path: `/app/reviews/${id}`, status: 404 },
          {
            method: "POST",
            path,
            body: form([
              ["intent", "reply"],
              ["reply", "B replies to A's review"],
            ]),
            status: 404,
          },
          { method: "POST", path, body: form([["intent", "publish"]]), status: 404 },
          { method: "POST", path, body: form([["intent", "hide"]]), status: 404 },
        );
      }
      return probes;
    },
  },
  "app.reviews_.export.tsx": {
    probes: () => [{ method: "GET", path: "/app/reviews/export", status: 200 }],
    noIds: { loader: "the signed-in shop's reviews as CSV: A's must be absent" },
  },
  "app.reviews_.import.tsx": {
    probes: (a) => {
      const csv = ["product_id,product_title,rating,body,author,created_at", `${a.productId},B's copy,4,B's own words,B,2025-03-01`].join("\n");
      const upload = new FormData();
      upload.set("file", new Blob([csv], { type: "text/csv" }), "reviews.csv");
      return [
        { method: "GET", path: "/app/reviews/import", status: 200 },
        { method: "POST", path: `/app/reviews/import${data("app.reviews_.import.tsx")}`, body: upload, status: 200 },
      ];
    },
    noIds: {
      loader: "the column list, the same for every shop",
      action: "an import names products, not rows: B's import of A's product adds B's review and leaves A's rows as they were",
    },
  },
  "app.reviews_.settings.tsx": {
    probes: () => [
      { method: "GET", path: "/app/reviews/settings", status: 200 },
      { method: "POST", path: `/app/reviews/settings${data("app.reviews_.settings.tsx")}`, json: {}, status: 400 },
    ],
    noIds: {
      loader: "the signed-in shop's review settings",
      action: "saves the signed-in shop's settings, which name no rows: A's rows must stay as they were",
    },
  },
};

/** Shop A, with a row of each kind an admin page reads or changes, each carrying `mark`. */
async function seedShopA(shop: string, mark: string) {
  const now = new Date();
  await db.shop.create({ data: { shop, name: `Shop ${mark}`, installedAt: now } });
  const who = { id: newId(), email: `${mark}@example.com`, firstName: `First${mark}`, lastName: `Last${mark}` };
  // A's loyalty program is live, so its customer holds points B must never see.
  await setProgramStatus(shop, "live");
  const order = orderPayload({ customer: who });
  await deliver(app, "orders/paid", toShopifyJson(order), { shop });
  const productId = "5550001";
  const csv = [
    "product_id,product_title,rating,body,author,status,created_at",
    `${productId},Title ${mark},5,Body ${mark},Author ${mark},published,2025-01-02`,
    `${productId},Title ${mark},2,Low ${mark},Author ${mark},pending,2025-01-03`,
    `${productId},Title ${mark},3,Hidden ${mark},Author ${mark},hidden,2025-01-04`,
  ].join("\n");
  expect(await importReviewsCsv(shop, csv, now)).toEqual({ imported: 3, duplicates: 0 });
  const reviewIds = (await db.review.findMany({ where: { shop }, select: { id: true } })).map((r) => r.id);
  const questionIds = [`q-${randomUUID()}`, `q-${randomUUID()}`];
  for (const [i, id] of questionIds.entries()) {
    await db.question.create({
      data: {
        id,
        shop,
        productId,
        productTitle: `Title ${mark}`,
        askerName: `Asker ${mark}`,
        askerEmail: `${mark}@example.com`,
        body: `Question ${mark}?`,
        status: i === 0 ? "published" : "pending",
        createdAt: now,
      },
    });
  }
  const answerId = `a-${randomUUID()}`;
  await db.questionAnswer.create({
    data: { id: answerId, shop, questionId: questionIds[0]!, body: `Answer ${mark}`, authorName: "Store", kind: "store", status: "pending", createdAt: now },
  });
  const messageId = `m-${randomUUID()}`;
  await db.message.create({
    data: {
      id: messageId,
      shop,
      key: `tenancy:${mark}`,
      flow: "thank_you",
      dueAt: now,
      status: "sent",
      toAddress: `${mark}@example.com`,
      subject: `Subject ${mark}`,
      html: `<p>${mark}</p>`,
      text: mark,
      sentAt: now,
    },
  });
  const caseId = `c-${randomUUID()}`;
  await db.customerCase.create({ data: { id: caseId, shop, kind: "low_rating", reviewId: reviewIds[0], summary: `Case ${mark}`, createdAt: now } });
  // A flagged referral of A's customer, waiting for A's decision.
  const referralId = randomUUID();
  await db.referral.create({
    data: {
      id: referralId,
      shop,
      code: `FRIEND-${mark}`,
      advocateId: who.id,
      orderId: order.id as string,
      orderName: `#${mark}`,
      status: "flagged",
      flags: JSON.stringify([{ rule: "code_burst", detail: `Flag ${mark}` }]),
      createdAt: now,
      updatedAt: now,
    },
  });
  // A broken promise of A's order (promised when it was paid), its apology waiting for A's approval.
  const orderId = order.id as string;
  expect(await db.orderPromise.count({ where: { shop, orderId } })).toBe(1);
  await db.promiseBreach.create({
    data: { shop, orderId, kind: "late_dispatch", brokenAt: now, expectedBy: now, decision: "awaiting", createdAt: now, updatedAt: now },
  });
  const dataRequestId = randomUUID();
  await db.dataRequest.create({ data: { id: dataRequestId, shop, customerId: who.id, receivedAt: now, export: JSON.stringify({ mark }) } });
  return { reviewIds, questionIds, answerId, messageId, caseId, dataRequestId, productId, customerId: who.id, referralId, orderId };
}

/** Every row of every table with a `shop` column that belongs to `shop`. */
async function snapshot(shop: string): Promise<Record<string, unknown[]>> {
  const rows: Record<string, unknown[]> = {};
  for (const model of Prisma.dmmf.datamodel.models.filter((m) => m.fields.some((f) => f.name === "shop"))) {
    const delegate = (db as unknown as Record<string, { findMany(args: object): Promise<unknown[]> }>)[
      model.name.charAt(0).toLowerCase() + model.name.slice(1)
    ]!;
    const found = await delegate.findMany({ where: { shop } });
    rows[model.name] = found.map((row) => JSON.stringify(row, (_k, v) => (typeof v === "bigint" ? String(v) : v))).sort();
  }
  return rows;
}

let app: RunningApp;
beforeAll(async () => {
  app = await startApp();
});
afterAll(() => app.close());

describe("tenancy of the admin pages", () => {
  it("has a decision for every admin route file: probes with another shop's ids, or why it takes none", () => {
    expect(adminRoutes.length).toBeGreaterThan(10);
    const handled = adminRoutes
      .filter((r) => r.loader || r.action)
      .map((r) => r.file)
      .sort();
    expect(Object.keys(PLANS).sort()).toEqual(handled);
  });

  it("answers shop B with none of shop A's data, and changes nothing of A, on every route", async () => {
    const [a, b] = [uniqueShop("tenant-a"), uniqueShop("tenant-b")];
    for (const shop of [a, b]) await installSession(shop);
    await db.shop.create({ data: { shop: b, name: "Shop B", installedAt: new Date() } });
    const mark = `mark${randomUUID().replaceAll("-", "")}`;
    const seed = await seedShopA(a, mark);
    const before = await snapshot(a);
    expect(Object.values(before).flat().length).toBeGreaterThan(12);

    const answered: string[] = [];
    for (const route of adminRoutes.filter((r) => r.loader || r.action)) {
      const plan = PLANS[route.file]!;
      const probes = plan.probes(seed);
      // Each handler is probed, and one that takes no id of A says why it is still covered.
      for (const handler of ["loader", "action"] as const) {
        if (!route[handler]) continue;
        expect(
          probes.some((p) => p.method === (handler === "loader" ? "GET" : "POST")),
          `${route.file} ${handler} has a probe`,
        ).toBe(true);
        const usesIds = probes.some(
          (p) =>
            p.method === (handler === "loader" ? "GET" : "POST") &&
            Object.values(seed)
              .flat()
              .some((id) => `${p.path} ${p.body instanceof URLSearchParams ? p.body : ""}`.includes(id)),
        );
        if (!usesIds) expect(plan.noIds?.[handler], `${route.file} ${handler}: sends none of A's ids, so it must say why`).toBeTruthy();
      }
      for (const probe of probes) {
        const init: RequestInit = { method: probe.method };
        if (probe.json !== undefined) Object.assign(init, { body: JSON.stringify(probe.json), headers: { "Content-Type": "application/json" } });
        else if (probe.body) init.body = probe.body;
        const response = await adminFetch(app, b, probe.path, init);
        const text = await response.text();
        const label = `${route.file}: ${probe.method} ${probe.path}`;
        expect(response.status, `${label} answered ${text.slice(0, 200)}`).toBe(probe.status);
        expect(text.includes(mark), `${label} shows A's data`).toBe(false);
        expect(text.includes(a), `${label} names shop A`).toBe(false);
        answered.push(`${probe.method} ${route.pattern} ${probe.status}`);
      }
    }
    expect(await snapshot(a)).toEqual(before);
    expect(answered.length).toBeGreaterThan(25);
  });
});
