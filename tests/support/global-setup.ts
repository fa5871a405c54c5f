// Creates the run's database and applies the real migrations to it.
import { spawnSync } from "node:child_process";
import { rmSync } from "node:fs";
import pg from "pg";
import { POSTGRES_BASE_URL, TEST_POSTGRES_SCHEMA, TEST_SQLITE_FILE, testDatabaseUrl } from "./databases";

export async function setUpDatabase(kind: "sqlite" | "postgres") {
  if (kind === "postgres") {
    const client = new pg.Client({ connectionString: POSTGRES_BASE_URL });
    await client.connect();
    await client.query(`DROP SCHEMA IF EXISTS ${TEST_POSTGRES_SCHEMA} CASCADE`);
    await client.end();
  } else {
    for (const suffix of ["", "-wal", "-shm"]) rmSync(TEST_SQLITE_FILE + suffix, { force: true });
  }
  const result = spawnSync(process.execPath, ["scripts/setup-db.mjs", "--migrate-only"], {
    env: { ...process.env, DATABASE_URL: testDatabaseUrl(kind) },
    encoding: "utf8",
  });
  if (result.status !== 0) throw new Error(`migrations failed:\n${result.stdout}\n${result.stderr}`);
  return () => {
    if (kind !== "postgres") for (const suffix of ["", "-wal", "-shm"]) rmSync(TEST_SQLITE_FILE + suffix, { force: true });
  };
}
