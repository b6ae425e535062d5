/**
 * Estimated time until each pending submission starts. Every program may use
 * its whole slot, so the estimate assumes it will: it is a worst case (a job
 * that ends early only makes the real wait shorter), and the API says so with
 * `etaIsWorstCase`. A program that ends early keeps its last frame until
 * minShowSeconds after its start (see fcfs.ts), so while that hold lasts the
 * next start is its end, not now. The idle show yields at once, so it adds
 * nothing. While the queue is paused there is no estimate (`null`).
 */
export interface EtaInput {
  nowMs: number;
  slotMs: number;
  /** Start time of the running visitor program, if any. */
  runningStartedAtMs: number | null;
  /** When the held last frame of a finished program lets the next one start (null: no hold). */
  holdMinUntilMs?: number | null;
}

/** Milliseconds left in the running program's slot (0 when nothing runs). */
export function runningRemainingMs({ nowMs, slotMs, runningStartedAtMs }: EtaInput): number {
  if (runningStartedAtMs === null) return 0;
  return Math.max(0, slotMs - (nowMs - runningStartedAtMs));
}

/** Milliseconds until the tree is free for the next pending program, at the latest. */
export function freeInMs(input: EtaInput): number {
  if (input.runningStartedAtMs !== null) return runningRemainingMs(input);
  return input.holdMinUntilMs == null ? 0 : Math.max(0, input.holdMinUntilMs - input.nowMs);
}

/** Milliseconds until the pending submission at `index` (0 = next) starts, at the latest. */
export function etaMs(input: EtaInput, index: number): number {
  return freeInMs(input) + index * input.slotMs;
}

export const toSeconds = (ms: number) => Math.ceil(ms / 1000);
