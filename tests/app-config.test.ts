// shopify.app.toml and the theme app extension, checked the way Shopify's tooling checks
// them, and held equal to the code they describe: scopes, webhook routes, API version, and
// every Admin GraphQL document against Shopify's published schema for that version.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { parse, validate } from "graphql";
import { parse as parseToml } from "smol-toml";
import { describe, expect, it } from "vitest";
import * as documents from "~/modules/shopify-admin/documents";
import { ACCESS_SCOPES } from "~/modules/shopify-admin/scopes";
import { TOPICS } from "~/modules/intake";
import { API_VERSION } from "~/modules/shopify-admin/settings";
import { adminSchema, API_VERSION as STAND_IN_API_VERSION } from "../dev/shopify/requests";
import { runProcess } from "./support/run-process";

type Subscription = { topics?: string[]; compliance_topics?: string[]; uri: string };
type AppConfig = {
  access_scopes: { scopes: string };
  webhooks: { api_version: string; subscriptions: Subscription[] };
  app_proxy: { url: string; prefix: string; subpath: string };
  application_url: string;
};

const config = parseToml(readFileSync("shopify.app.toml", "utf8")) as unknown as AppConfig;
const COMPLIANCE = ["customers/data_request", "customers/redact", "shop/redact"];

describe("shopify.app.toml", () => {
  it("is accepted by Shopify CLI's own `shopify app build`, extensions included", async () => {
    const result = await runProcess("npx", ["--no-install", "shopify", "app", "build", "--path", ".", "--skip-dependencies-installation"], {
      env: { ...process.env, SHOPIFY_CLI_NO_ANALYTICS: "1", NO_COLOR: "1" },
    });
    expect(result.status, result.stdout + result.stderr).toBe(0);
    expect(result.stdout + result.stderr).toMatch(/aftercare built!/);
  }, 120_000);

  it("asks for exactly the scopes the code names", () => {
    expect(config.access_scopes.scopes.split(",").sort()).toEqual([...ACCESS_SCOPES].sort());
  });

  it("subscribes once per topic the code takes, at the webhook route, on the code's API version", () => {
    expect(config.webhooks.api_version).toBe(API_VERSION);
    expect(existsSync("app/routes/webhooks.$.tsx")).toBe(true);
    const subscribed = config.webhooks.subscriptions.flatMap((s) => [...(s.topics ?? []), ...(s.compliance_topics ?? [])]);
    expect([...subscribed].sort()).toEqual([...TOPICS].sort());
    for (const subscription of config.webhooks.subscriptions) {
      const [topic = "", ...more] = [...(subscription.topics ?? []), ...(subscription.compliance_topics ?? [])];
      expect(more).toEqual([]);
      expect(subscription.uri).toBe(`/webhooks/${topic}`);
      expect(COMPLIANCE.includes(topic)).toBe(Boolean(subscription.compliance_topics));
    }
  });

  it("declares an app proxy Shopify accepts, served by the app's /proxy routes", () => {
    const { url, prefix, subpath } = config.app_proxy;
    expect(url).toBe(`${config.application_url}/proxy`);
    expect(["apps", "a", "community", "tools"]).toContain(prefix);
    // Shopify's rule: letters, digits, _ and -, at most 30, and not one of its own paths.
    expect(subpath).toMatch(/^[A-Za-z0-9_-]{1,30}$/);
    expect(["admin", "services", "password", "login"]).not.toContain(subpath);
    expect(ACCESS_SCOPES).toContain("write_app_proxy");
  });
});

describe("theme app extension", () => {
  it("passes Shopify's theme check with no offenses", async () => {
    const { themeCheckRun } = await import("@shopify/theme-check-node");
    for (const extension of readdirSync("extensions")) {
      const { offenses } = await themeCheckRun(`extensions/${extension}`);
      expect(offenses.map((o) => `${o.uri}: ${o.check} ${o.message}`)).toEqual([]);
    }
  });
});

describe("Admin GraphQL documents", () => {
  const schema = adminSchema();
  const sent = (Object.entries(documents) as [string, unknown][]).filter((entry): entry is [string, string] => typeof entry[1] === "string");

  it("are checked, here and by the Shopify stand-in, against the configured version's schema", () => {
    expect(STAND_IN_API_VERSION).toBe(API_VERSION);
  });

  it("holds at least the install query", () => {
    expect(sent.map(([name]) => name)).toContain("SHOP_PROFILE_QUERY");
  });

  it.each(sent)("%s is valid against Shopify's published Admin schema for the configured version", (_name, document) => {
    expect(validate(schema, parse(document)).map((error) => error.message)).toEqual([]);
  });

  it("the check itself names a field Shopify does not have", () => {
    const errors = validate(schema, parse("query { shop { name timezoneOfTheMoon } }"));
    expect(errors.map((e) => e.message).join()).toMatch(/timezoneOfTheMoon/);
  });
});
