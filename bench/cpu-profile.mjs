// Preload (`--import ./bench/cpu-profile.mjs`, BENCH_PROFILE_DIR=<dir>): writes a V8 CPU profile of
// the whole process into <dir> when it exits. node's own --cpu-prof does the same but is refused
// in NODE_OPTIONS, and the app's processes start through npm scripts, which only pass that on.
import { Session } from "node:inspector";
import { writeFileSync } from "node:fs";
import { join } from "node:path";

const session = new Session();
session.connect();
session.post("Profiler.enable");
session.post("Profiler.start");
process.on("exit", () => {
  // A session on the process's own thread answers synchronously, so this runs to its end here.
  session.post("Profiler.stop", (error, result) => {
    if (!error)
      writeFileSync(
        join(process.env.BENCH_PROFILE_DIR, `${process.argv[1]?.split("/").pop() ?? "node"}-${process.pid}.cpuprofile`),
        JSON.stringify(result.profile),
      );
  });
});
