import { describe, expect, it } from "vitest";
import type { RunOptions, RunResult } from "../sandbox/run-result.ts";
import { runAbortable, stoppedEarlyError } from "./abortable-run.ts";

const result: RunResult = { status: "completed", frames: 2, dropped: 0, rejected: 0, durationMs: 10, stdout: "", stderr: "" };

/** A runner that ignores the signal entirely (the worst case) and emits a frame when told. */
function deafRunner() {
  let emit!: () => void;
  let finish!: () => void;
  const run = (options: RunOptions) =>
    new Promise<RunResult>((resolve) => {
      emit = () => options.onFrame?.(new Uint8Array(4));
      finish = () => resolve(result);
    });
  return { run, emit: () => emit(), finish: () => finish() };
}

describe("runAbortable", () => {
  it("answers an abort at once even when the runner does not listen, and drops its later frames", async () => {
    const runner = deafRunner();
    const abort = new AbortController();
    const frames: Uint8Array[] = [];
    const pending = runAbortable(runner.run, { source: "", ledCount: 1, timeLimitMs: 1000, signal: abort.signal, onFrame: (f) => frames.push(f) });
    runner.emit();
    abort.abort("skipped");
    expect(await pending).toMatchObject({ status: "failed", error: stoppedEarlyError });
    runner.emit();
    expect(frames).toHaveLength(1);
    runner.finish();
  });

  it("passes the runner's own result through when not aborted", async () => {
    const runner = deafRunner();
    const pending = runAbortable(runner.run, { source: "", ledCount: 1, timeLimitMs: 1000, signal: new AbortController().signal });
    runner.finish();
    expect(await pending).toEqual(result);
  });

  it("does not start a run whose signal is already aborted", async () => {
    let started = false;
    const abort = new AbortController();
    abort.abort();
    const answer = await runAbortable(async () => ((started = true), result), { source: "", ledCount: 1, timeLimitMs: 1000, signal: abort.signal });
    expect(started).toBe(false);
    expect(answer.error).toBe(stoppedEarlyError);
  });
});
