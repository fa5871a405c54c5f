// A render thread (see render-pool.ts): renders each job it is handed, in order, and answers
// each as soon as it is done, so the pool can tell which job a stuck thread was on.
import { parentPort } from "node:worker_threads";
import { renderParts, type Part } from "./liquid";

export type RenderJob = { id: number; parts: Part[]; scope: object };

const port = parentPort!;
port.on("message", async (jobs: RenderJob[]) => {
  for (const job of jobs) port.postMessage({ id: job.id, ...(await renderParts(job.parts, job.scope)) });
});
port.postMessage("ready");
