/**
 * A stand-in for the sandbox runner in API tests: each run shows one frame,
 * then waits until the test finishes it (or the signal aborts it). The real
 * runner is exercised by tests/integration/app/.
 */
import type { RunOptions, RunResult } from "../sandbox/run-result.ts";

export interface FakeRun {
  options: RunOptions;
  finish(result?: Partial<RunResult>): void;
  done: Promise<RunResult>;
}

export class FakeRunner {
  readonly runs: FakeRun[] = [];

  readonly run = (options: RunOptions): Promise<RunResult> => {
    let finish!: (result?: Partial<RunResult>) => void;
    const done = new Promise<RunResult>((resolve) => {
      const base: RunResult = { status: "completed", frames: 1, dropped: 0, rejected: 0, durationMs: 5, stdout: "", stderr: "" };
      finish = (result = {}) => resolve({ ...base, ...result });
      const aborted = () => resolve({ ...base, status: "failed", error: "stopped" });
      if (options.signal?.aborted) aborted();
      else options.signal?.addEventListener("abort", aborted);
    });
    const frame = new Uint8Array(options.ledCount * 4);
    for (let i = 0; i < options.ledCount; i++) frame.set([255, 0, 0, 100], i * 4);
    options.onFrame?.(frame);
    this.runs.push({ options, finish, done });
    return done;
  };

  get last(): FakeRun | undefined {
    return this.runs.at(-1);
  }
}
