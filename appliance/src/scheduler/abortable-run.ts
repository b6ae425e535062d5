/**
 * Makes an abort take effect at once, whatever phase the runner is in. The
 * scheduler must never wait for a stopped run: the idle show yields the moment
 * a visitor's program arrives, and "skip" means now. The runner itself stops
 * on the signal (before it spawns, or by killing the jail), but that takes a
 * check, a kill and a reap: the run is answered as stopped immediately instead,
 * and any frame it still produces meanwhile is dropped, so two programs never
 * drive the strip at once.
 */
import type { RunOptions, RunResult } from "../sandbox/run-result.ts";
import type { RunProgram } from "./job-runner.ts";

export const stoppedEarlyError = "stopped early: the run was cancelled";

export function runAbortable(run: RunProgram, options: RunOptions & { signal: AbortSignal }): Promise<RunResult> {
  const { signal } = options;
  const stopped = (): RunResult => ({ status: "failed", frames: 0, dropped: 0, rejected: 0, durationMs: 0, error: stoppedEarlyError, stdout: "", stderr: "" });
  if (signal.aborted) return Promise.resolve(stopped());
  const running = run({ ...options, onFrame: (frame) => (signal.aborted ? undefined : options.onFrame?.(frame)) });
  return new Promise<RunResult>((resolve, reject) => {
    const onAbort = () => resolve(stopped());
    signal.addEventListener("abort", onAbort, { once: true });
    running.then(
      (result) => {
        signal.removeEventListener("abort", onAbort);
        resolve(result);
      },
      (error: unknown) => {
        signal.removeEventListener("abort", onAbort);
        if (signal.aborted) resolve(stopped());
        else reject(error);
      },
    );
  });
}
