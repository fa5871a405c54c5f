// Preloaded into the dispatch benchmark's sender processes (`node --import ./bench/cpu-usage.mjs`):
// when the process exits, writes the CPU time it used (user + system, ms) to the file named
// by BENCH_CPU_FILE. On a machine where other work competes for the CPUs, CPU time per
// message says more than wall time does.
import { writeFileSync } from "node:fs";

const file = process.env.BENCH_CPU_FILE;
if (file) {
  process.on("exit", () => {
    const { user, system } = process.cpuUsage();
    writeFileSync(file, JSON.stringify({ cpuMs: (user + system) / 1000 }));
  });
}
