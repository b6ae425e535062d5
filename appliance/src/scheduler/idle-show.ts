/**
 * The idle show: `idle-show.py`, run through the same checker and sandbox as a
 * visitor's program, restarted by the scheduler when it ends and aborted the
 * moment a submission arrives.
 *
 * Its source is read like every Python file of ours (see python-source.ts).
 */
import type { PackedFrame } from "../../../protocol/frame.ts";
import { loadPythonSource } from "../python-source.ts";
import { runAbortable } from "./abortable-run.ts";
import type { RunProgram } from "./job-runner.ts";

/**
 * One idle run's limit; the scheduler starts the next right away, so a run
 * that somehow outlived its abort would still end within a minute.
 */
export const idleShowTimeLimitMs = 60 * 1000;
export const idleShowFileName = "idle-show.py";

export function loadIdleShowSource(): Promise<string> {
  return loadPythonSource(import.meta.url, idleShowFileName);
}

export interface IdleShowOptions {
  source: string;
  runProgram: RunProgram;
  ledCount: () => number;
  onFrame: (frame: PackedFrame) => void;
  afterShow: () => Promise<void>;
  log?: (message: string) => void;
}

export function createIdleShow(options: IdleShowOptions) {
  return async function runIdle(signal: AbortSignal): Promise<void> {
    try {
      const result = await runAbortable(options.runProgram, { source: options.source, ledCount: options.ledCount(), timeLimitMs: idleShowTimeLimitMs, onFrame: options.onFrame, signal });
      if (!signal.aborted && result.status !== "completed" && result.status !== "timeout") {
        options.log?.(`idle show ended: ${result.status} ${result.error ?? ""}`);
      }
    } finally {
      if (!signal.aborted) await options.afterShow();
    }
  };
}
