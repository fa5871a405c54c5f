// Moving reviews in and out as CSV, so a merchant can come from (or leave for) another reviews
// app. One documented column set both ways (REVIEW_CSV_COLUMNS). An import is all or nothing:
// every row is checked first, and a file with any bad row imports none, with each problem
// named by its line. Re-importing the same file adds nothing twice.
import { createHash } from "node:crypto";
import { parse } from "csv-parse/sync";
import { stringify } from "csv-stringify/sync";
import db, { inParts, join, sql, STATEMENT_VALUES } from "~/db.server";
import { LIMITS } from "./limits";
import { markRatingChanged } from "./ratings";

export const REVIEW_CSV_COLUMNS = [
  { name: "product_id", required: true, meaning: "Shopify's numeric product id" },
  { name: "product_title", required: true, meaning: "the product's title when it was reviewed" },
  { name: "rating", required: true, meaning: "1 to 5" },
  { name: "title", required: false, meaning: `the review's title (up to ${LIMITS.title} characters)` },
  { name: "body", required: true, meaning: `the review (up to ${LIMITS.body} characters)` },
  { name: "author", required: true, meaning: "the name shown with it" },
  { name: "verified", required: false, meaning: "true when the author bought the product (default false)" },
  { name: "status", required: false, meaning: "published, pending or hidden (default published)" },
  { name: "created_at", required: true, meaning: "when it was written, ISO 8601 (e.g. 2026-03-14 or 2026-03-14T09:30:00Z)" },
  { name: "reply", required: false, meaning: "the store's public reply" },
] as const;
export const MAX_IMPORT_ROWS = 50_000;
/** 20 MB: 50,000 reviews of 400 characters; a bigger file is refused before it is read. */
export const MAX_IMPORT_BYTES = 20 * 1024 * 1024;
const STATUSES = ["published", "pending", "hidden"];

export type ImportResult = { imported: number; duplicates: number } | { errors: { line: number; message: string }[] };

/** Undoes the export's guard against spreadsheet formulas (see `inert`). */
const uninert = (value: string | undefined) => (value && /^'[=+\-@\t\r]/.test(value) ? value.slice(1) : (value ?? ""));

/** A stable id for an imported review, so the same row imported twice is found, not added. */
const importedId = (shop: string, row: { product_id: string; author: string; created_at: string; body: string }) =>
  `import-${createHash("sha256").update([shop, row.product_id, row.author, row.created_at, row.body].join("\u0000")).digest("hex").slice(0, 32)}`;

export async function importReviewsCsv(shop: string, csv: string, now: Date): Promise<ImportResult> {
  let rows: Record<string, string>[];
  try {
    rows = parse(csv, {
      columns: (header: string[]) => header.map((h) => h.trim().toLowerCase()),
      skip_empty_lines: true,
      bom: true,
      relax_column_count: false,
    });
  } catch (error) {
    return { errors: [{ line: (error as { lines?: number }).lines ?? 1, message: `The file is not valid CSV: ${(error as Error).message}` }] };
  }
  if (rows.length === 0) return { errors: [{ line: 1, message: "The file has a header but no reviews." }] };
  if (rows.length > MAX_IMPORT_ROWS) {
    return {
      errors: [
        {
          line: 0,
          message: `The file has ${rows.length.toLocaleString("en")} reviews: import at most ${MAX_IMPORT_ROWS.toLocaleString("en")} at a time (split it in parts).`,
        },
      ],
    };
  }
  const missing = REVIEW_CSV_COLUMNS.filter((c) => c.required && !(c.name in rows[0]!)).map((c) => c.name);
  if (missing.length > 0) return { errors: [{ line: 1, message: `Missing column${missing.length > 1 ? "s" : ""}: ${missing.join(", ")}.` }] };

  const errors: { line: number; message: string }[] = [];
  const reviews = rows.map((raw, index) => {
    const line = index + 2; // the header is line 1
    const row = Object.fromEntries(Object.entries(raw).map(([key, value]) => [key, uninert(value)])) as Record<string, string | undefined>;
    const problems: string[] = [];
    const rating = Number(row.rating);
    const created = new Date(row.created_at ?? "");
    const status = (row.status ?? "").trim().toLowerCase() || "published";
    const verified = (row.verified ?? "").trim().toLowerCase();
    if (!/^\d{1,20}$/.test((row.product_id ?? "").trim())) problems.push("product_id must be Shopify's numeric product id");
    if (!(row.product_title ?? "").trim()) problems.push("product_title is empty");
    if (!Number.isInteger(rating) || rating < 1 || rating > 5) problems.push("rating must be a whole number from 1 to 5");
    if (!(row.body ?? "").trim()) problems.push("body is empty");
    else if (row.body!.length > LIMITS.body) problems.push(`body is longer than ${LIMITS.body} characters`);
    if ((row.title ?? "").length > LIMITS.title) problems.push(`title is longer than ${LIMITS.title} characters`);
    if (!(row.author ?? "").trim()) problems.push("author is empty");
    if (Number.isNaN(created.getTime()) || created > now) problems.push("created_at must be a date in the past (ISO 8601)");
    if (!STATUSES.includes(status)) problems.push("status must be published, pending or hidden");
    if (verified && !["true", "false", "yes", "no", "1", "0"].includes(verified)) problems.push("verified must be true or false");
    if (problems.length > 0) errors.push({ line, message: problems.join("; ") });
    return {
      id: importedId(shop, { product_id: row.product_id ?? "", author: row.author ?? "", created_at: row.created_at ?? "", body: row.body ?? "" }),
      shop,
      productId: (row.product_id ?? "").trim(),
      productTitle: (row.product_title ?? "").trim(),
      rating,
      title: (row.title ?? "").trim() || null,
      body: (row.body ?? "").trim(),
      authorName: (row.author ?? "").trim().slice(0, LIMITS.name),
      verified: ["true", "yes", "1"].includes(verified),
      source: "import",
      status,
      reply: (row.reply ?? "").trim() || null,
      repliedAt: (row.reply ?? "").trim() ? now : null,
      createdAt: created,
      publishedAt: status === "published" ? created : null,
    };
  });
  if (errors.length > 0) return { errors };

  // Plain multi-row inserts, not createMany (Prisma's costs more in JavaScript per row than the
  // database's work); one that is already here (or twice in the file) is skipped by its id.
  // The transaction makes an import all or nothing; it holds the SQLite writer for a few seconds.
  return db.$transaction(
    async (tx) => {
      const added: { productId: string; status: string }[] = [];
      for (const part of inParts(reviews, Math.floor(STATEMENT_VALUES / 16))) {
        added.push(
          ...(await tx.$queryRaw<{ productId: string; status: string }[]>`
            INSERT INTO "Review" ("id", "shop", "productId", "productTitle", "rating", "title", "body", "authorName", "verified", "source", "status", "reply", "repliedAt", "createdAt", "publishedAt", "updatedAt")
            VALUES ${join(part.map((r) => sql`(${r.id}, ${shop}, ${r.productId}, ${r.productTitle}, ${r.rating}, ${r.title}, ${r.body}, ${r.authorName}, ${r.verified}, ${r.source}, ${r.status}, ${r.reply}, ${r.repliedAt}, ${r.createdAt}, ${r.publishedAt}, ${now})`))}
            ON CONFLICT ("id") DO NOTHING
            RETURNING "productId", "status"`),
        );
      }
      await markRatingChanged(
        tx,
        shop,
        added.filter((r) => r.status === "published").map((r) => r.productId),
        now,
      );
      return { imported: added.length, duplicates: reviews.length - added.length };
    },
    { timeout: 120_000 },
  );
}

/** A spreadsheet would run a cell that starts like a formula: such cells get a leading apostrophe. */
const inert = (value: string) => (/^[=+\-@\t\r]/.test(value) ? `'${value}` : value);

export async function exportReviewsCsv(shop: string): Promise<string> {
  const reviews = await db.review.findMany({ where: { shop }, orderBy: { createdAt: "asc" } });
  const rows = reviews.map((r) =>
    [
      r.productId,
      r.productTitle,
      String(r.rating),
      r.title ?? "",
      r.body,
      r.authorName,
      String(r.verified),
      r.status,
      r.createdAt.toISOString(),
      r.reply ?? "",
    ].map(inert),
  );
  return stringify([REVIEW_CSV_COLUMNS.map((c) => c.name), ...rows]);
}
