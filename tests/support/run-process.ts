// Runs a command to its end without blocking the test process: a test worker stuck in a
// synchronous spawn for a minute cannot answer the test runner, which then reports a timeout.
import { execFile } from "node:child_process";

export type Finished = { status: number | null; stdout: string; stderr: string };

export function runProcess(command: string, args: string[], options: { env?: NodeJS.ProcessEnv; timeout?: number } = {}): Promise<Finished> {
  return new Promise((resolve) => {
    execFile(command, args, { encoding: "utf8", maxBuffer: 64 * 1024 * 1024, ...options }, (error, stdout, stderr) => {
      const status = error ? (typeof error.code === "number" ? error.code : null) : 0;
      resolve({ status, stdout, stderr });
    });
  });
}
