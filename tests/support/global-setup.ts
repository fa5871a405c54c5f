// Creates the run's database and applies the real migrations to it; and, for a test whose
// real processes work across every shop (the worker), a database of that test file's own.
import { execFile, spawnSync } from "node:child_process";
import { randomUUID } from "node:crypto";
import { copyFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import pg from "pg";
import { POSTGRES_BASE_URL, TEST_POSTGRES_SCHEMA, testDatabaseUrl, testSqliteFile, testSqliteTemplate } from "./databases";

async function dropPostgresSchema(schema: string) {
  const client = new pg.Client({ connectionString: POSTGRES_BASE_URL });
  await client.connect();
  try {
    await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  } finally {
    await client.end();
  }
}

const removeSqlite = (file: string) => {
  for (const suffix of ["", "-wal", "-shm"]) rmSync(file + suffix, { force: true });
};

/** `kind`: "postgres", or the name of a SQLite project ("sqlite", "year-ahead"), each with a file of its own. */
export async function setUpDatabase(kind: string) {
  const sqliteFiles = [testSqliteFile(kind), testSqliteTemplate(kind)];
  if (kind === "postgres") await dropPostgresSchema(TEST_POSTGRES_SCHEMA);
  else for (const file of sqliteFiles) removeSqlite(file);
  const result = spawnSync(process.execPath, ["scripts/setup-db.mjs", "--migrate-only"], {
    env: { ...process.env, DATABASE_URL: testDatabaseUrl(kind) },
    encoding: "utf8",
  });
  if (result.status !== 0) throw new Error(`migrations failed:\n${result.stdout}\n${result.stderr}`);
  // Prisma leaves it in rollback-journal mode, all in the one file: a plain copy is a whole database.
  if (kind !== "postgres") copyFileSync(sqliteFiles[0]!, sqliteFiles[1]!);
  return async () => {
    if (kind === "postgres") await dropPostgresSchema(TEST_POSTGRES_SCHEMA);
    else for (const file of sqliteFiles) removeSqlite(file);
  };
}

/**
 * A fresh database of the same kind as the run's (`TEST_DATABASE`), with the same migrations: a
 * copy of the run's SQLite file as migrated, or a PostgreSQL schema beside the run's, migrated.
 * For tests that start a real worker, which takes what is due in every shop, so it must not
 * share the run's database.
 */
export async function createPrivateDatabase(kind: string | undefined): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `aftercare_private_${randomUUID().slice(0, 8)}`;
  if (kind !== "postgres") {
    const file = join(tmpdir(), `${name}.sqlite`);
    copyFileSync(testSqliteTemplate(kind), file);
    return { url: `file:${file}`, drop: async () => removeSqlite(file) };
  }
  const url = `${POSTGRES_BASE_URL}?schema=${name}`;
  try {
    await promisify(execFile)(process.execPath, ["scripts/setup-db.mjs", "--migrate-only"], { env: { ...process.env, DATABASE_URL: url } });
  } catch (error) {
    const { stdout, stderr } = error as { stdout?: string; stderr?: string };
    await dropPostgresSchema(name);
    throw new Error(`migrations failed:\n${stdout}\n${stderr}`, { cause: error });
  }
  return { url, drop: () => dropPostgresSchema(name) };
}
