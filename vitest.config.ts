import { defineConfig } from "vitest/config";
import { fileURLToPath } from "node:url";

const alias = { "~": fileURLToPath(new URL("./app", import.meta.url)) };

// Projects do not inherit the root's test options: each names its own.
// Browser polls wait seconds, not Vitest's 1 s default: a loaded CI machine is slower to paint.
const timeouts = { testTimeout: 30_000, hookTimeout: 60_000, expect: { poll: { timeout: 10_000, interval: 100 } } };

// Three runs of the suite: everything against a SQLite file; the data layer and intake (tests
// named *.db.test.ts) again against the PostgreSQL on 127.0.0.1:5432; and the files whose
// emails carry signed links again with the machine's time a year ahead (no time bombs).
export default defineConfig({
  resolve: { alias },
  test: {
    projects: [
      {
        resolve: { alias },
        test: {
          name: "sqlite",
          include: ["app/**/*.test.ts", "tests/**/*.test.ts"],
          globalSetup: ["tests/support/global-setup-sqlite.ts"],
          setupFiles: ["tests/support/env.ts"],
          ...timeouts,
          env: { TEST_DATABASE: "sqlite" },
        },
      },
      {
        resolve: { alias },
        test: {
          name: "postgres",
          include: ["app/**/*.db.test.ts", "tests/**/*.db.test.ts"],
          globalSetup: ["tests/support/global-setup-postgres.ts"],
          setupFiles: ["tests/support/env.ts"],
          ...timeouts,
          env: { TEST_DATABASE: "postgres" },
        },
      },
      {
        // The files whose emails carry signed links or wait for a send window, again with the machine's time a year on, at night.
        resolve: { alias },
        test: {
          name: "year-ahead",
          include: [
            "tests/followups.db.test.ts",
            "tests/followups-products.db.test.ts",
            "tests/review-rewards.db.test.ts",
            "tests/review-page.test.ts",
            "tests/questions.test.ts",
          ],
          globalSetup: ["tests/support/global-setup-year-ahead.ts"],
          setupFiles: ["tests/support/env.ts", "tests/support/year-ahead.ts"],
          ...timeouts,
          env: { TEST_DATABASE: "year-ahead" },
        },
      },
    ],
  },
});
