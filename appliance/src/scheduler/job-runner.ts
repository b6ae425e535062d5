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
 *
 * Prepared starts (`prepare`, with `prepareStarts`): while one program runs or
 * holds its last frame, the scheduler names the queue's head, and its program
 * is checked, jailed and compiled ahead, waiting for go (runner.ts). When its
 * turn comes `runJob` only lets it go, so the tree changes picture within a
 * frame interval instead of a jail start later. At most one prepared run
 * exists (it costs a sandbox); naming another head, or none, kills it.
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
  /** Prepare the next program ahead (needs a runProgram that honours `go`, as runner.ts does); default off. */
  prepareStarts?: boolean;
  log?: (message: string) => void;
}

/** The next program, started ahead and waiting for go. */
interface PreparedRun {
  uuid: string;
  ledCount: number;
  control: AbortController;
  go: () => void;
  /** Resolves once it waits for go, or once it has ended without getting there (refused, failed, aborted). */
  ready: Promise<void>;
  result: Promise<RunResult>;
}

/** Why a prepared run was killed before its turn: it was not that run's owner's doing. */
const notNext = "no longer next";

export interface JobRunner {
  (uuid: string, signal: AbortSignal, finished?: (outcome: JobOutcome) => void): Promise<JobOutcome>;
  /**
   * Prepares `uuid` (the queue's head) to start at once, or with null drops the prepared run.
   * Returns when it is ready (or could not be); undefined when nothing is prepared.
   */
  prepare(uuid: string | null): Promise<void> | undefined;
}

const emptyResult = (error: string, durationMs = 0): RunResult => ({ status: "failed", frames: 0, dropped: 0, rejected: 0, durationMs, error, stdout: "", stderr: "" });

export { internalRunError, skippedError };

export function createJobRunner(options: JobRunnerOptions): JobRunner {
  const { store } = options;
  let prepared: PreparedRun | null = null;

  const drop = () => {
    prepared?.control.abort(notNext);
    prepared = null;
  };

  const prepare = (uuid: string | null): Promise<void> | undefined => {
    if (options.prepareStarts !== true) return undefined;
    if (uuid !== null && prepared?.uuid === uuid) return prepared.ready;
    drop();
    const record = uuid === null ? undefined : store.get(uuid);
    if (record === undefined || record.status !== "pending") return undefined;
    const control = new AbortController();
    let go!: () => void;
    const goSignal = new Promise<void>((resolve) => (go = resolve));
    let markReady!: () => void;
    const ready = new Promise<void>((resolve) => (markReady = resolve));
    const ledCount = options.ledCount();
    const result = (async () => {
      try {
        const source = await store.readSource(record);
        return await runAbortable(options.runProgram, {
          source,
          ledCount,
          timeLimitMs: options.slotMs(),
          onFrame: options.onFrame,
          signal: control.signal,
          go: goSignal,
          onReady: markReady,
        });
      } finally {
        markReady();
      }
    })();
    // Read by runJob at the turn, or never (dropped): a failure is reported there, not here.
    result.catch(() => undefined);
    prepared = { uuid: record.uuid, ledCount, control, go, ready, result };
    return ready;
  };

  /** The prepared run for `uuid`, taken out (a different one, or one for another LED count, is dropped). */
  const take = (uuid: string): PreparedRun | null => {
    const run = prepared;
    if (run === null) return null;
    prepared = null;
    if (run.uuid === uuid && run.ledCount === options.ledCount() && !run.control.signal.aborted) return run;
    run.control.abort(notNext);
    return null;
  };

  const runJob = async function runJob(uuid: string, signal: AbortSignal, finished?: (outcome: JobOutcome) => void): Promise<JobOutcome> {
    // Taken before the first await: the scheduler names the next head right after this call.
    const ahead = take(uuid);
    const record = store.get(uuid);
    if (record === undefined || record.status !== "pending") {
      ahead?.control.abort(notNext);
      return { holdLastFrame: false };
    }
    const started = new Date();
    const startedMonotonicMs = performance.now();
    const marking = store.update(uuid, { status: "running", attempts: record.attempts + 1, startedAt: started.toISOString() });
    // A prepared program goes at once: the record says running in memory already, and its
    // durable write goes on beside the go, so the switch never waits for a disk's sync.
    const forward = () => ahead?.control.abort(signal.reason);
    if (ahead !== null) {
      if (signal.aborted) forward();
      else signal.addEventListener("abort", forward, { once: true });
      ahead.go();
    }
    try {
      await marking;
    } catch (error) {
      // Not recorded as running: it must not run either.
      ahead?.control.abort(notNext);
      signal.removeEventListener("abort", forward);
      throw error;
    }
    let result: RunResult;
    try {
      if (ahead !== null) {
        result = await ahead.result;
      } else {
        const source = await store.readSource(record);
        // Aborted while it was being marked running (shutdown, skip): it never starts.
        result = signal.aborted
          ? emptyResult("stopped before it started")
          : await runAbortable(options.runProgram, { source, ledCount: options.ledCount(), timeLimitMs: options.slotMs(), onFrame: options.onFrame, signal });
      }
    } catch (error) {
      options.log?.(`run of ${uuid} threw: ${String(error)}`);
      result = emptyResult(internalRunError, Math.round(performance.now() - startedMonotonicMs));
    } finally {
      signal.removeEventListener("abort", forward);
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
  return Object.assign(runJob, { prepare });
}
