/**
 * Estimated time until each pending submission starts. Every program may use
 * its whole slot, so the estimate assumes it will: it is a worst case (a job
 * that ends early only makes the real wait shorter), and the API says so with
 * `etaIsWorstCase`. The idle show yields at once, so it adds nothing.
 */
export interface EtaInput {
  nowMs: number;
  slotMs: number;
  /** Start time of the running visitor program, if any. */
  runningStartedAtMs: number | null;
}

/** Milliseconds left in the running program's slot (0 when nothing runs). */
export function runningRemainingMs({ nowMs, slotMs, runningStartedAtMs }: EtaInput): number {
  if (runningStartedAtMs === null) return 0;
  return Math.max(0, slotMs - (nowMs - runningStartedAtMs));
}

/** Milliseconds until the pending submission at `index` (0 = next) starts, at the latest. */
export function etaMs(input: EtaInput, index: number): number {
  return runningRemainingMs(input) + index * input.slotMs;
}

export const toSeconds = (ms: number) => Math.ceil(ms / 1000);
