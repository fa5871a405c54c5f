// `npm start`: the production web server (server/http.ts) on PORT, and unless RUN_WORKER=0 the
// worker (server/worker.ts) beside it as a child process. Built beside the Remix build
// (build/server/main.js), so the paths below are the build's.
import { fork, type ChildProcess } from "node:child_process";
import type { AddressInfo } from "node:net";
import { fileURLToPath } from "node:url";
import { env, requireValidEnv } from "~/env.server";
import { createAppServer } from "./http";

/** One machine: the worker as a child process, restarted if it dies. */
function startWorker() {
  let child: ChildProcess;
  let stopping = false;
  const spawnWorker = () => {
    child = fork(fileURLToPath(new URL("./worker.js", import.meta.url)), [], { stdio: "inherit" });
    child.once("exit", (code, signal) => {
      if (stopping) return;
      console.error(`worker exited (${signal ?? code}); restarting in 1 s`);
      setTimeout(spawnWorker, 1000).unref();
    });
  };
  spawnWorker();
  return {
    stop() {
      stopping = true;
      child.kill("SIGTERM");
    },
  };
}

requireValidEnv();
const server = await createAppServer({ buildDir: fileURLToPath(new URL("..", import.meta.url)) });
server.keepAliveTimeout = 65_000;
server.listen(env().PORT, () => console.log(`Aftercare listening on http://localhost:${(server.address() as AddressInfo).port}`));
const worker = env().RUN_WORKER ? startWorker() : null;
const stop = () => {
  worker?.stop();
  server.close(() => process.exit(0));
};
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
