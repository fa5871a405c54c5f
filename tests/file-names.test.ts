// One file-naming style: lower-case words joined by hyphens, with dotted suffixes for what a
// file is (`.server`, `.test`, `.db`, `.thread`). Three places keep the convention of the tool
// that reads them: Remix's route files, Prisma's migrations, and Shopify's own sample payloads,
// named after their topics.
import { execFileSync } from "node:child_process";
import { describe, expect, it } from "vitest";

const KEBAB = /^[a-z0-9]+(-[a-z0-9]+)*(\.[a-z0-9]+(-[a-z0-9]+)*)*$/;
const OWN_CONVENTION = [/^app\/routes\//, /^prisma\/(postgres\/)?migrations\//, /^dev\/shopify\/samples\//];
const WELL_KNOWN = new Set(["README.md", "SECURITY.md", "DESIGN.md"]);

describe("file names", () => {
  it("are kebab-case outside the folders that follow a tool's own convention", () => {
    const files = execFileSync("git", ["ls-files", "--cached", "--others", "--exclude-standard"], { encoding: "utf8" }).split("\n").filter(Boolean);
    const offenders = files.filter((path) => {
      if (OWN_CONVENTION.some((folder) => folder.test(path))) return false;
      const name = path.split("/").pop()!;
      return !name.startsWith(".") && !WELL_KNOWN.has(name) && !KEBAB.test(name);
    });
    expect(offenders).toEqual([]);
  });
});
