// `npm test`: installs and builds everything the suite needs (Chromium from Debian, the
// Prisma clients, the app build), type-checks, lints, checks formatting, then runs the whole suite against SQLite
// and, for the data layer and intake, against PostgreSQL on 127.0.0.1:5432.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import pg from "pg";

const POSTGRES_URL = process.env.TEST_POSTGRES_URL ?? "postgresql://postgres@127.0.0.1:5432/test";
const inCI = process.env.CI === "true" || process.env.CI === "1";

function run(label, command, args, env = {}) {
  console.log(`\n▶ ${label}`);
  const started = Date.now();
  const result = spawnSync(command, args, { stdio: "inherit", env: { ...process.env, ...env } });
  if (result.status !== 0) {
    console.error(`✗ ${label} failed`);
    process.exit(result.status ?? 1);
  }
  console.log(`✓ ${label} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
}

function ensureChromium() {
  if (existsSync("/usr/bin/chromium")) return;
  if (process.getuid?.() !== 0) {
    console.error("Chromium is missing: run `sudo apt-get install -y chromium` (the page tests drive /usr/bin/chromium).");
    process.exit(1);
  }
  run("install Chromium from Debian", "bash", ["-c", "apt-get update -qq && apt-get install -y -qq --no-install-recommends chromium >/dev/null"], {
    DEBIAN_FRONTEND: "noninteractive",
  });
}

async function postgresReachable() {
  const client = new pg.Client({ connectionString: POSTGRES_URL, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.end();
    return true;
  } catch (error) {
    return error.message;
  }
}

ensureChromium();
run("generate Prisma clients", process.execPath, ["scripts/setup-db.mjs", "--generate-only"]);
run("PostgreSQL schema matches prisma/schema.prisma", process.execPath, ["scripts/postgres-schema.mjs", "--check"]);
run("type-check", "npx", ["--no-install", "tsc", "--noEmit"]);
run("lint", "npx", ["--no-install", "eslint", "--max-warnings", "0", "."]);
run("formatting", "npx", ["--no-install", "prettier", "--check", "--log-level", "warn", "."]);
run("build", "npx", ["--no-install", "remix", "vite:build", "--logLevel", "warn"]);

const reachable = await postgresReachable();
const projects = [];
if (reachable === true) {
  console.log(`\nPostgreSQL reachable at ${POSTGRES_URL}: the data layer and intake run against it too.`);
} else if (inCI) {
  console.error(`\n✗ PostgreSQL is not reachable at ${POSTGRES_URL} (${reachable}); under CI the PostgreSQL run is required.`);
  process.exit(1);
} else {
  console.log(`\n⚠ PostgreSQL is NOT reachable at ${POSTGRES_URL} (${reachable}).`);
  console.log("⚠ Running the SQLite suite only; the PostgreSQL run of the data layer and intake is SKIPPED.");
  projects.push("--project", "sqlite", "--project", "year-ahead");
}
// A schema of this run's own: runs side by side on one PostgreSQL never share tables.
run("vitest", "npx", ["--no-install", "vitest", "run", ...projects, ...process.argv.slice(2)], {
  TEST_POSTGRES_SCHEMA: process.env.TEST_POSTGRES_SCHEMA ?? `aftercare_run_${process.pid}_${Date.now().toString(36)}`,
});
