// Merchant templates render in a small pool of worker threads, so a template that loops or
// grows without end costs its own request a clear error and never holds up the server's
// event loop (other shops' webhooks, pages and sends). Liquid's own limits (liquid.ts) stop
// most templates early; a job still running after JOB_TIMEOUT_MS has its thread terminated,
// and a thread above its heap cap is stopped by V8. Jobs queued together go to a thread in
// one message, so a batch of emails pays for one hand-over, not one per email.
import { Worker, type ResourceLimits } from "node:worker_threads";
import type { Part, PartsResult } from "./liquid";
import type { RenderJob } from "./render.thread";

const RENDER_THREADS = 2;
/** A job (one email's templates) gets this long once its thread is on it. */
const JOB_TIMEOUT_MS = 3_000;
const BATCH = 32;
const LIMITS: ResourceLimits = { maxOldGenerationSizeMb: 128, maxYoungGenerationSizeMb: 16, stackSizeMb: 4 };

// Built, the thread is its own file beside the server bundle (vite.config.ts emits it); run
// from source (the dev server, tests), it is the TypeScript file, loaded through tsx (found
// from the working directory: the project root, where both run).
const fromSource = import.meta.url.endsWith(".ts");
const THREAD_FILE = fromSource ? "./render.thread.ts" : "./render-thread.js";
const threadUrl = new URL(THREAD_FILE, import.meta.url);
const threadScript = fromSource ? `import("tsx/esm/api").then(({ register }) => { register(); return import(${JSON.stringify(threadUrl.href)}); });` : null;

type Pending = { job: RenderJob; resolve: (result: PartsResult) => void };
type Thread = { worker: Worker; jobs: Pending[]; ready: boolean; timer?: NodeJS.Timeout };

const queue: Pending[] = [];
const idle: Thread[] = [];
const threads = new Set<Thread>();
let nextId = 0;

/** Renders the parts with one scope in a render thread; a failure is an answer, never thrown. */
export function renderInThread(parts: Part[], scope: object): Promise<PartsResult> {
  return new Promise((resolve) => {
    queue.push({ job: { id: nextId++, parts, scope }, resolve });
    pump();
  });
}

function pump(): void {
  while (queue.length > 0) {
    const thread = idle.pop() ?? (threads.size < RENDER_THREADS ? startThread() : null);
    if (!thread) return;
    const jobs = queue.splice(0, BATCH);
    try {
      thread.worker.postMessage(jobs.map((pending) => pending.job));
    } catch (error) {
      // A scope that cannot be copied (a function, say) is the app's bug: its batch fails, the thread stays.
      for (const pending of jobs)
        pending.resolve({ ok: false, index: null, line: null, message: `The template could not be rendered: ${(error as Error).message}` });
      idle.push(thread);
      continue;
    }
    thread.jobs = jobs;
    thread.worker.ref();
    if (thread.ready) startClock(thread);
  }
}

/** The clock runs for the job the thread is on: from hand-over (or start-up) and from each answer. */
function startClock(thread: Thread): void {
  clearTimeout(thread.timer);
  thread.timer = setTimeout(
    () => stop(thread, `This template takes too long to render (stopped after ${JOB_TIMEOUT_MS / 1000} s): look for loops inside loops.`),
    JOB_TIMEOUT_MS,
  );
}

function startThread(): Thread {
  const worker = threadScript ? new Worker(threadScript, { eval: true, resourceLimits: LIMITS }) : new Worker(threadUrl, { resourceLimits: LIMITS });
  const thread: Thread = { worker, jobs: [], ready: false };
  threads.add(thread);
  worker.on("message", (message: "ready" | (PartsResult & { id: number })) => {
    if (message === "ready") {
      thread.ready = true;
      if (thread.jobs.length > 0) startClock(thread);
      return;
    }
    thread.jobs.shift()?.resolve(message);
    if (thread.jobs.length > 0) return startClock(thread);
    clearTimeout(thread.timer);
    worker.unref();
    idle.push(thread);
    pump();
  });
  worker.on("error", (error: Error & { code?: string }) =>
    stop(
      thread,
      error.code === "ERR_WORKER_OUT_OF_MEMORY"
        ? "This template needs too much memory to render: look for loops that grow a list or a text."
        : `The template could not be rendered: ${error.message}`,
    ),
  );
  worker.on("exit", () => stop(thread, "The template could not be rendered: its render thread stopped."));
  return thread;
}

/** Ends a thread: the job it was on fails with `message`, the jobs after it go back to the front of the queue. */
function stop(thread: Thread, message: string): void {
  if (!threads.delete(thread)) return;
  clearTimeout(thread.timer);
  if (idle.includes(thread)) idle.splice(idle.indexOf(thread), 1);
  const [current, ...rest] = thread.jobs;
  thread.jobs = [];
  void thread.worker.terminate();
  // Which of its templates it was on is not known.
  current?.resolve({ ok: false, index: null, line: null, message });
  queue.unshift(...rest);
  pump();
}
