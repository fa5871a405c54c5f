// The environment, read and validated in one place. The entry points (server/main.ts,
// server/worker.ts) call requireValidEnv() first, so a missing or malformed variable stops the
// process at start with a message naming it; everything else reads env().
import { z } from "zod";

const LOG_LEVELS = ["error", "warning", "info", "debug"] as const;
const unset = (value: unknown) => (value === "" ? undefined : value);
/** An optional variable: set to the empty string counts as unset. */
const optional = <T extends z.ZodType>(schema: T) => z.preprocess(unset, schema.optional());

const schema = z.object({
  NODE_ENV: z.preprocess(unset, z.enum(["production", "development", "test"], { error: "must be production, development or test" }).default("production")),
  /** HTTP port for `npm start`. */
  PORT: z.preprocess(unset, z.coerce.number({ error: "must be a port number" }).int().min(0).max(65535, "must be a port number").default(3000)),
  /** "0": `npm start` serves the web only. */
  RUN_WORKER: z.preprocess(unset, z.enum(["0", "1"], { error: "must be 0 (web only) or 1" }).default("1")).transform((value) => value === "1"),
  DATABASE_URL: z.preprocess(
    unset,
    z
      .string()
      .regex(/^(file:|postgres(ql)?:\/\/)/, "must be file:<path> (SQLite) or postgresql://...")
      .default("file:./prisma/dev.sqlite"),
  ),
  SHOPIFY_API_KEY: z.string({ error: "is not set" }).min(1, "is not set"),
  /** The client secret: it signs session tokens, OAuth, every webhook and the shoppers' links. */
  SHOPIFY_API_SECRET: z.string({ error: "is not set" }).min(1, "is not set"),
  SHOPIFY_APP_URL: z.url({ error: "must be the app's public URL, e.g. https://aftercare.example.com" }),
  /** Comma-separated override of the access scopes. */
  SCOPES: optional(z.string()),
  SHOPIFY_LOG_LEVEL: z.preprocess(unset, z.enum(LOG_LEVELS, { error: `must be one of ${LOG_LEVELS.join(", ")}` }).default("info")),
  /** An extra shop domain pattern (a regular expression) to accept, for Shopify-internal testing. */
  SHOP_CUSTOM_DOMAIN: optional(z.string()),
  /** Unset: mail stays in the admin's outbox. */
  SMTP_URL: optional(z.url({ protocol: /^smtps?$/, error: "must be an smtp:// or smtps:// URL" })),
  MAIL_FROM: optional(z.string()),
  /** How many X-Forwarded-For entries our own load balancers append after Shopify's app proxy. */
  TRUSTED_PROXY_HOPS: z.preprocess(
    unset,
    z.coerce.number({ error: "must be a whole number, 0 or more" }).int().min(0, "must be a whole number, 0 or more").default(0),
  ),
});

export type Env = z.infer<typeof schema>;
const NAMES = Object.keys(schema.shape) as (keyof Env)[];

/** Why the environment was refused: one line per variable, naming it (never echoing a value). */
export class EnvError extends Error {}

export function parseEnv(source: Record<string, string | undefined>): Env {
  const result = schema.safeParse(source);
  if (result.success) return result.data;
  const lines = result.error.issues.map((issue) => `  ${String(issue.path[0])}: ${issue.message}`);
  throw new EnvError(`The environment is not usable:\n${lines.join("\n")}`);
}

let parsed: { source: string; env: Env } | undefined;

/**
 * The validated environment. Parsed once; parsed again only if a variable it reads has changed
 * since (tests and the demo set some after start, e.g. SMTP_URL for one case).
 */
export function env(): Env {
  const source = JSON.stringify(NAMES.map((name) => process.env[name]));
  if (parsed?.source !== source) parsed = { source, env: parseEnv(process.env) };
  return parsed.env;
}

/** At a process's start: the environment, or a message naming what is wrong and exit 1. */
export function requireValidEnv(): Env {
  try {
    return env();
  } catch (error) {
    if (!(error instanceof EnvError)) throw error;
    console.error(error.message);
    process.exit(1);
  }
}
