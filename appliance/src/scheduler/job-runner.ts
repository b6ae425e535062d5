/**
 * Runs one submission for the scheduler: marks it running (durably, so a crash
 * is noticed on restart), runs it in the sandbox with the slot as its time
 * limit, and records the result with its reason (storage/finish-reason.ts).
 *
 * Outcome mapping (documented in API.md): the program ended → completed,
 * "ran_to_end"; it was stopped at the slot limit → completed, "full_slot" (most
 * tree programs animate forever, that is no failure); it raised, broke a limit
 * or was refused → failed, "error"; the operator skipped or removed it →
 * cancelled, "skipped" / "removed". On shutdown the job goes back to pending
 * without using up an attempt, and runs again first after the restart.
 *
 * The strip is not cleared here: a program that showed a frame and was not
 * stopped by the operator asks the scheduler to hold its last frame (fcfs.ts),
 * and the scheduler clears the strip when the turn is over.
 */
import type { PackedFrame } from "../../../protocol/frame.ts";
import type { RunOptions, RunResult } from "../sandbox/run-result.ts";
import { internalRunError, reasonOfResult, removedError, skippedError, statusOf, type FinishReason } from "../storage/finish-reason.ts";
import type { SubmissionStore } from "../storage/submissions.ts";
import { runAbortable } from "./abortable-run.ts";
import type { AbortReason, JobOutcome } from "./fcfs.ts";

export type RunProgram = (options: RunOptions) => Promise<RunResult>;

export interface JobRunnerOptions {
  store: SubmissionStore;
  runProgram: RunProgram;
  ledCount: () => number;
  slotMs: () => number;
  onFrame: (frame: PackedFrame) => void;
  historyLimit: number;
  log?: (message: string) => void;
}

const emptyResult = (error: string, durationMs = 0): RunResult => ({ status: "failed", frames: 0, dropped: 0, rejected: 0, durationMs, error, stdout: "", stderr: "" });

export { internalRunError, skippedError };

export function createJobRunner(options: JobRunnerOptions) {
  const { store } = options;
  return async function runJob(uuid: string, signal: AbortSignal, finished?: (outcome: JobOutcome) => void): Promise<JobOutcome> {
    const record = store.get(uuid);
    if (record === undefined || record.status !== "pending") return { holdLastFrame: false };
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
    const aborted = signal.aborted ? (signal.reason as AbortReason) : undefined;
    if (aborted === "shutdown") {
      await store.update(uuid, { status: "pending", attempts: record.attempts, startedAt: undefined });
      return { holdLastFrame: false };
    }
    let reason: FinishReason;
    if (aborted === "skipped" || aborted === "removed") {
      reason = aborted;
      result = { ...result, error: aborted === "skipped" ? skippedError : removedError };
    } else {
      reason = reasonOfResult(result);
    }
    // An error keeps what the program showed, like an ending; the operator's stop and the tree's own fault do not.
    const outcome = { holdLastFrame: result.frames > 0 && (reason === "ran_to_end" || reason === "full_slot" || reason === "error") };
    // Told before the record says finished, so the queue never shows it done without its held frame.
    finished?.(outcome);
    await store.update(uuid, { status: statusOf(reason), reason, finishedAt: new Date().toISOString(), result });
    await store.prune(options.historyLimit);
    return outcome;
  };
}
