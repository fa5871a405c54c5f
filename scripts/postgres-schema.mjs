// Derives prisma/postgres/schema.prisma from prisma/schema.prisma: the same models with
// provider postgresql and its own client output, so the two can never drift apart.
// `node scripts/postgres-schema.mjs` writes it; `--check` fails if the file is stale.
import { readFileSync, writeFileSync, mkdirSync } from "node:fs";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
const sqlitePath = `${root}prisma/schema.prisma`;
const postgresPath = `${root}prisma/postgres/schema.prisma`;

export function derivePostgresSchema(sqliteSchema) {
  const out = sqliteSchema
    .replace(
      /^\/\/ The embedded default: SQLite\.[^\n]*\n(\/\/[^\n]*\n)*/m,
      "// GENERATED from prisma/schema.prisma by scripts/postgres-schema.mjs. Do not edit.\n",
    )
    .replace('provider = "sqlite"', 'provider = "postgresql"')
    .replace('engineType = "client"', 'engineType = "client"\n  output     = "../../node_modules/.prisma/postgres-client"');
  if (!out.includes('provider = "postgresql"') || !out.includes('output     = "../../node_modules/.prisma/postgres-client"')) {
    throw new Error("prisma/schema.prisma no longer has the datasource/generator this script rewrites");
  }
  return out;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const wanted = derivePostgresSchema(readFileSync(sqlitePath, "utf8"));
  if (process.argv.includes("--check")) {
    let current = "";
    try {
      current = readFileSync(postgresPath, "utf8");
    } catch {
      // no file yet: it is stale
    }
    if (current !== wanted) {
      console.error("prisma/postgres/schema.prisma is stale: run node scripts/postgres-schema.mjs");
      process.exit(1);
    }
  } else {
    mkdirSync(`${root}prisma/postgres`, { recursive: true });
    writeFileSync(postgresPath, wanted);
  }
}
