// `npm run setup`: generate both Prisma clients (SQLite and PostgreSQL variants) and apply
// the migrations of whichever database DATABASE_URL points at (default: prisma/dev.sqlite).
// SQLite migrates through Prisma's own CLI; PostgreSQL through scripts/migrate-postgres.mjs.
// --generate-only / --migrate-only do half of it.
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { migratePostgres } from "./migrate-postgres.mjs";

const root = fileURLToPath(new URL("..", import.meta.url));
const databaseUrl = process.env.DATABASE_URL ?? "file:./prisma/dev.sqlite";
const isPostgres = /^postgres(ql)?:\/\//.test(databaseUrl);

function prisma(args, url) {
  const result = spawnSync("npx", ["--no-install", "prisma", ...args], {
    cwd: root,
    stdio: ["ignore", "inherit", "inherit"],
    env: {
      ...process.env,
      DATABASE_URL: url,
      PRISMA_HIDE_UPDATE_MESSAGE: "1",
      NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ""} --require=${root}scripts/unref-long-timers.cjs`,
    },
  });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

const POSTGRES_PLACEHOLDER = "postgresql://localhost:5432/placeholder";
const sqliteUrl = isPostgres ? "file:./prisma/dev.sqlite" : databaseUrl;
const postgresUrl = isPostgres ? databaseUrl : POSTGRES_PLACEHOLDER;

if (!process.argv.includes("--migrate-only")) {
  prisma(["generate", "--no-hints", "--schema", "prisma/schema.prisma"], sqliteUrl);
  prisma(["generate", "--no-hints", "--schema", "prisma/postgres/schema.prisma"], postgresUrl);
}
if (!process.argv.includes("--generate-only")) {
  if (isPostgres) await migratePostgres(databaseUrl);
  else prisma(["migrate", "deploy"], databaseUrl);
}
