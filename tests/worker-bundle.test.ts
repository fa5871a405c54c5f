// The built worker (build/server/worker.js) loads the modules it runs and nothing of the web:
// its bundle imports no React (not even its JSX runtime), Polaris, App Bridge or Remix package,
// not Shopify's Remix app library, and not the Remix server build. It reaches the Admin API
// through Shopify's API library and the shops' offline sessions in the database.
import { readFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { describe, expect, it } from "vitest";

const BUILD = "build/server";
const WEB = /^(react|react-dom|@shopify\/polaris|@shopify\/app-bridge-react|@shopify\/shopify-app-remix|@remix-run\/[^/]+)(\/|$)/;

/** Every file the worker's bundle loads, relative to the build, and every package it imports. */
function importGraph(entry: string) {
  const files = new Set<string>();
  const packages = new Set<string>();
  const visit = (file: string) => {
    if (files.has(file)) return;
    files.add(file);
    const code = readFileSync(file, "utf8");
    for (const [, specifier] of code.matchAll(/(?:\bfrom\s*|\bimport\s*\(?\s*)["']([^"']+)["']/g)) {
      if (specifier!.startsWith(".")) visit(join(dirname(file), specifier!));
      else packages.add(specifier!);
    }
  };
  visit(join(BUILD, entry));
  return { files: [...files].map((file) => relative(BUILD, file)), packages: [...packages] };
}

describe("the built worker", () => {
  const worker = importGraph("worker.js");

  it("loads what it runs: the database client, the mailer, Shopify's API library", () => {
    expect(worker.packages).toEqual(expect.arrayContaining(["@prisma/client", "nodemailer", "@shopify/shopify-api"]));
  });

  it("imports no React, Polaris, Remix runtime or Shopify Remix library, and not the web's server build", () => {
    expect(worker.packages.filter((name) => WEB.test(name))).toEqual([]);
    expect(worker.files).not.toContain("index.js");
  });

  it("the check itself finds them in the web's server build", () => {
    expect(importGraph("index.js").packages.filter((name) => WEB.test(name))).toEqual(
      expect.arrayContaining(["react", "react/jsx-runtime", "@remix-run/react", "@shopify/shopify-app-remix/server"]),
    );
  });
});
