// Where the test suite's databases live. Every test uses its own shop domains, so files
// can share one database while proving that shops never see each other's rows.
import { tmpdir } from "node:os";
import { join } from "node:path";

// Each run its own schema (npm test names one), so two runs on one PostgreSQL never meet.
export const TEST_POSTGRES_SCHEMA = process.env.TEST_POSTGRES_SCHEMA ?? `aftercare_test_${Buffer.from(process.cwd()).toString("hex").slice(-16)}`;
export const POSTGRES_BASE_URL = process.env.TEST_POSTGRES_URL ?? "postgresql://postgres@127.0.0.1:5432/test";
export const TEST_POSTGRES_URL = `${POSTGRES_BASE_URL}?schema=${TEST_POSTGRES_SCHEMA}`;
const checkout = Buffer.from(process.cwd()).toString("hex").slice(-24);
/** A SQLite project's file ("sqlite", or another project's name), fixed per checkout so the setup process and the test workers agree on it. */
export const testSqliteFile = (kind = "sqlite") => join(tmpdir(), `aftercare-test-${checkout}${kind === "sqlite" ? "" : `-${kind}`}.sqlite`);
/** A copy of the run's SQLite file as migrated, before any test wrote to it: a fresh database is a file copy away. */
export const testSqliteTemplate = (kind?: string) => testSqliteFile(kind).replace(/\.sqlite$/, "-template.sqlite");

export function testDatabaseUrl(kind: string | undefined): string {
  return kind === "postgres" ? TEST_POSTGRES_URL : `file:${testSqliteFile(kind)}`;
}
