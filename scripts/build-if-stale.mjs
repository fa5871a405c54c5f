// Builds the app (remix vite:build) unless build/ is newer than every source file, so the
// demo and the benchmark always run the code in the checkout without rebuilding needlessly.
import { spawnSync } from "node:child_process";
import { readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
const SOURCES = ["app", "server", "vite.config.ts", "package-lock.json", "prisma/schema.prisma"];

function newestChange(path) {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(0, ...readdirSync(path).map((entry) => newestChange(join(path, entry))));
}

function builtAt() {
  try {
    return statSync(join(root, "build", "server", "index.js")).mtimeMs;
  } catch {
    return 0;
  }
}

export function buildIfStale() {
  if (builtAt() > Math.max(...SOURCES.map((source) => newestChange(join(root, source))))) return false;
  const result = spawnSync("npx", ["--no-install", "remix", "vite:build", "--logLevel", "error"], { cwd: root, stdio: "inherit" });
  if (result.status !== 0) throw new Error("remix vite:build failed");
  return true;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) buildIfStale();
