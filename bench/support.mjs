// What the benchmarks (bench/run.mjs, bench/dispatch.mjs) share: option parsing, progress
// lines, a temp dir and child processes that never outlive the run, a fresh database.
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

export const root = fileURLToPath(new URL("..", import.meta.url));

/** --name as an integer ≥ min; `fallback` when it was not given (no fallback: it has a parseArgs default). */
export function integerOption(options, name, min, fallback) {
  if (options[name] === undefined) return fallback;
  const value = Number(options[name]);
  if (!Number.isInteger(value) || value < min) {
    console.error(`--${name} must be an integer ≥ ${min} (got ${options[name]})`);
    process.exit(1);
  }
  return value;
}

export function step(label, run) {
  const started = Date.now();
  const detail = run();
  console.log(`✓ ${label}${detail ? `: ${detail}` : ""} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
}

/**
 * A temp dir for this run, and the set to add child processes to: whatever way the run ends
 * (done, crash, Ctrl-C), no child outlives it and the temp dir goes.
 */
export function runScratch(prefix) {
  const tempDir = mkdtempSync(join(tmpdir(), prefix));
  const children = new Set();
  process.on("exit", () => {
    for (const child of children) child.kill("SIGKILL");
    rmSync(tempDir, { recursive: true, force: true });
  });
  for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => process.exit(130));
  return { tempDir, children };
}

/** Migrates the database in env.DATABASE_URL (a new file: a fresh database), as `npm run setup` does. */
export function freshDatabase(env, label) {
  step("fresh SQLite database", () => {
    const result = spawnSync(process.execPath, ["scripts/setup-db.mjs"], { cwd: root, env, encoding: "utf8" });
    if (result.status !== 0) {
      console.error(result.stdout, result.stderr);
      process.exit(1);
    }
    return label;
  });
}
