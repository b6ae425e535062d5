/**
 * The idle show: `idle-show.py`, run through the same checker and sandbox as a
 * visitor's program, restarted by the scheduler when it ends and aborted the
 * moment a submission arrives.
 *
 * The source is read from beside this module in development; a compiled binary
 * finds it among `Bun.embeddedFiles` (scripts/build.ts passes the .py as an
 * extra entry point). A text import would be neater, but vitest cannot load one.
 */
import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { PackedFrame } from "../../../protocol/frame.ts";
import { runAbortable } from "./abortable-run.ts";
import type { RunProgram } from "./job-runner.ts";

/**
 * One idle run's limit; the scheduler starts the next right away. Kept short so
 * that a run which missed its abort (see abortable-run.ts) ends soon anyway.
 */
export const idleShowTimeLimitMs = 60 * 1000;
export const idleShowFileName = "idle-show.py";

export async function loadIdleShowSource(): Promise<string> {
  const beside = fileURLToPath(new URL(`./${idleShowFileName}`, import.meta.url));
  if (existsSync(beside)) return readFileSync(beside, "utf8");
  const embedded = (Bun.embeddedFiles as (Blob & { name?: string })[]).find(
    (file) => file.name?.startsWith("idle-show") === true && file.name.endsWith(".py"),
  );
  if (embedded === undefined) throw new Error(`${idleShowFileName} is neither beside ${beside} nor embedded in the binary`);
  return embedded.text();
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
