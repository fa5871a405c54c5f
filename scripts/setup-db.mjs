// `npm run setup`: generate both Prisma clients (SQLite and PostgreSQL variants) and apply
// the migrations of whichever database DATABASE_URL points at (default: prisma/dev.sqlite).
// SQLite migrates through Prisma's own CLI; PostgreSQL through scripts/migrate-postgres.mjs.
// --generate-only / --migrate-only do half of it. Generation is skipped when the clients were
// already generated from these exact schemas, so running setup never rewrites a client that
// another process (a test run, the demo) is using.
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
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

const SCHEMAS = ["prisma/schema.prisma", "prisma/postgres/schema.prisma"];
const stampFile = `${root}node_modules/.prisma/aftercare-schemas.sha256`;
const schemasHash = () => {
  const hash = createHash("sha256");
  for (const schema of SCHEMAS) hash.update(readFileSync(`${root}${schema}`));
  return hash.digest("hex");
};
const generatedFrom = () => {
  try {
    return readFileSync(stampFile, "utf8");
  } catch {
    return null;
  }
};

if (!process.argv.includes("--migrate-only") && generatedFrom() !== schemasHash()) {
  prisma(["generate", "--no-hints", "--schema", SCHEMAS[0]], sqliteUrl);
  prisma(["generate", "--no-hints", "--schema", SCHEMAS[1]], postgresUrl);
  writeFileSync(stampFile, schemasHash());
}
if (!process.argv.includes("--generate-only")) {
  if (isPostgres) await migratePostgres(databaseUrl);
  else prisma(["migrate", "deploy"], databaseUrl);
}
