import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { env, parseEnv } from "./env.server";

const REQUIRED = { SHOPIFY_API_KEY: "key", SHOPIFY_API_SECRET: "secret", SHOPIFY_APP_URL: "https://aftercare.example.com" };

const refusal = (source: Record<string, string | undefined>) => {
  try {
    parseEnv(source);
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error("accepted");
};

describe("the environment", () => {
  it("gives the documented defaults for what is left unset", () => {
    expect(parseEnv(REQUIRED)).toEqual({
      ...REQUIRED,
      NODE_ENV: "production",
      PORT: 3000,
      RUN_WORKER: true,
      DATABASE_URL: "file:./prisma/dev.sqlite",
      SHOPIFY_LOG_LEVEL: "info",
      TRUSTED_PROXY_HOPS: 0,
    });
  });

  it("reads what is set, an empty value counting as unset", () => {
    const parsed = parseEnv({
      ...REQUIRED,
      PORT: "8080",
      RUN_WORKER: "0",
      DATABASE_URL: "postgresql://u@127.0.0.1/db",
      SMTP_URL: "smtp://127.0.0.1:2525",
      TRUSTED_PROXY_HOPS: "1",
      MAIL_FROM: "",
      SCOPES: "",
    });
    expect(parsed).toMatchObject({
      PORT: 8080,
      RUN_WORKER: false,
      DATABASE_URL: "postgresql://u@127.0.0.1/db",
      SMTP_URL: "smtp://127.0.0.1:2525",
      TRUSTED_PROXY_HOPS: 1,
    });
    expect(parsed.MAIL_FROM).toBeUndefined();
    expect(parsed.SCOPES).toBeUndefined();
  });

  it("names every missing variable", () => {
    const message = refusal({ SHOPIFY_API_KEY: "key" });
    expect(message).toMatch(/SHOPIFY_API_SECRET: is not set/);
    expect(message).toMatch(/SHOPIFY_APP_URL: must be the app's public URL/);
    expect(message).not.toMatch(/SHOPIFY_API_KEY/);
  });

  it.each([
    ["PORT", "http", /PORT: must be a port number/],
    ["RUN_WORKER", "yes", /RUN_WORKER: must be 0 \(web only\) or 1/],
    ["DATABASE_URL", "mysql://127.0.0.1/db", /DATABASE_URL: must be file:<path> \(SQLite\) or postgresql:/],
    ["SHOPIFY_APP_URL", "aftercare.example.com", /SHOPIFY_APP_URL: must be the app's public URL/],
    ["SMTP_URL", "http://127.0.0.1", /SMTP_URL: must be an smtp:\/\/ or smtps:\/\/ URL/],
    ["TRUSTED_PROXY_HOPS", "-1", /TRUSTED_PROXY_HOPS: must be a whole number, 0 or more/],
    ["SHOPIFY_LOG_LEVEL", "loud", /SHOPIFY_LOG_LEVEL: must be one of error, warning, info, debug/],
  ])("names a malformed %s", (name, value, expected) => {
    expect(refusal({ ...REQUIRED, [name]: value })).toMatch(expected);
  });

  it("never repeats a secret it refuses", () => {
    expect(refusal({ ...REQUIRED, SHOPIFY_APP_URL: "s3cr3t-value" })).not.toContain("s3cr3t-value");
  });

  it("follows a variable set after start", () => {
    const before = process.env.MAIL_FROM;
    try {
      process.env.MAIL_FROM = "care@example.com";
      expect(env().MAIL_FROM).toBe("care@example.com");
    } finally {
      if (before === undefined) delete process.env.MAIL_FROM;
      else process.env.MAIL_FROM = before;
    }
  });

  it("stops a process at start with a message naming the variable, and exit code 1", () => {
    const script = `import { requireValidEnv } from "./app/env.server.ts"; requireValidEnv(); console.log("started");`;
    const { SHOPIFY_APP_URL: _unset, ...rest } = process.env;
    const run = spawnSync(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], { env: { ...rest, PORT: "nope" }, encoding: "utf8" });
    expect(run.status).toBe(1);
    expect(run.stdout).not.toContain("started");
    expect(run.stderr).toMatch(/PORT: must be a port number/);
    expect(run.stderr).toMatch(/SHOPIFY_APP_URL: must be the app's public URL/);
  });
});
