import { defineConfig } from "vitest/config";
import { fileURLToPath } from "node:url";

const alias = { "~": fileURLToPath(new URL("./app", import.meta.url)) };

// Projects do not inherit the root's test options: each names its own.
// Browser polls wait seconds, not Vitest's 1 s default: a loaded CI machine is slower to paint.
const timeouts = { testTimeout: 30_000, hookTimeout: 60_000, expect: { poll: { timeout: 10_000, interval: 100 } } };

// Two runs of the suite: everything against a SQLite file, and the data layer and intake
// (tests named *.db.test.ts) again against the PostgreSQL on 127.0.0.1:5432.
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
    ],
  },
});
