/**
 * Runs one submission for the scheduler: marks it running (durably, so a crash
 * is noticed on restart), runs it in the sandbox with the slot as its time
 * limit, records the result, and turns the strip off between jobs.
 *
 * Outcome mapping (documented in API.md): the program ended → completed; it was
 * stopped at the slot limit → completed too (most tree programs animate forever,
 * that is no failure; the owner sees "stopped at the 45 s limit"); it raised,
 * broke a limit or was refused → failed; the operator skipped it → failed
 * "skipped by the operator". On shutdown the job goes back to pending without
 * using up an attempt, and runs again first after the restart.
 */
import type { PackedFrame } from "../../../protocol/frame.ts";
import type { RunOptions, RunResult } from "../sandbox/run-result.ts";
import type { SubmissionStore } from "../storage/submissions.ts";
import { runAbortable } from "./abortable-run.ts";
import type { AbortReason } from "./fcfs.ts";

export type RunProgram = (options: RunOptions) => Promise<RunResult>;

export interface JobRunnerOptions {
  store: SubmissionStore;
  runProgram: RunProgram;
  ledCount: () => number;
  slotMs: () => number;
  onFrame: (frame: PackedFrame) => void;
  /** Called after each job, whatever its end (the strip goes dark between jobs). */
  afterJob: () => Promise<void>;
  historyLimit: number;
  log?: (message: string) => void;
}

const emptyResult = (error: string, durationMs = 0): RunResult => ({ status: "failed", frames: 0, dropped: 0, rejected: 0, durationMs, error, stdout: "", stderr: "" });

export const skippedError = "skipped by the operator";
export const internalRunError = "the tree could not run this program (a fault in the appliance, not in your code); please submit it again";

export function createJobRunner(options: JobRunnerOptions) {
  const { store } = options;
  return async function runJob(uuid: string, signal: AbortSignal): Promise<void> {
    const record = store.get(uuid);
    if (record === undefined || record.status !== "pending") return;
    const started = new Date();
    const startedMonotonicMs = performance.now();
    await store.update(uuid, { status: "running", attempts: record.attempts + 1, startedAt: started.toISOString() });
    let result: RunResult;
    try {
      const source = await store.readSource(record);
      // Aborted while it was being marked running (shutdown, skip): it never starts.
      result = signal.aborted
        ? emptyResult("stopped before it started")
        : await runAbortable(options.runProgram, { source, ledCount: options.ledCount(), timeLimitMs: options.slotMs(), onFrame: options.onFrame, signal });
    } catch (error) {
      options.log?.(`run of ${uuid} threw: ${String(error)}`);
      result = emptyResult(internalRunError, Math.round(performance.now() - startedMonotonicMs));
    }
    try {
      const reason = signal.aborted ? (signal.reason as AbortReason) : undefined;
      if (reason === "shutdown") {
        await store.update(uuid, { status: "pending", attempts: record.attempts, startedAt: undefined });
        return;
      }
      if (reason === "skipped" || reason === "removed") result = { ...result, status: "failed", error: skippedError };
      const status = result.status === "completed" || result.status === "timeout" ? "completed" : "failed";
      await store.update(uuid, { status, finishedAt: new Date().toISOString(), result });
      await store.prune(options.historyLimit);
    } finally {
      await options.afterJob();
    }
  };
}
