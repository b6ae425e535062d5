/**
 * What the tree shows while the queue is empty, on an appliance: the host's
 * status pattern (status-pattern.ts) while it is not ready, a short green sweep
 * once it is, then the ordinary idle show, which gives way to the status
 * pattern again if the host stops being ready. Takes the scheduler's `runIdle`
 * place; off an appliance (no host status) it is the idle show unchanged.
 */
import type { PackedFrame } from "../../../protocol/frame.ts";
import type { HostStatusSource } from "../host-status/reader.ts";
import { readySweepMs, statusFrame, statusPatternFor, type StatusPattern } from "./status-pattern.ts";

/** Status frames per second: the patterns are slow, this is plenty and cheap on a Pi Zero. */
export const statusFramesPerSecond = 20;

export interface StatusShowOptions {
  hostStatus: Pick<HostStatusSource, "phase" | "subscribe">;
  /** The ordinary idle show; none = dark while ready. */
  runIdle?: (signal: AbortSignal) => Promise<void>;
  ledCount: () => number;
  onFrame: (frame: PackedFrame) => void;
  darken: () => Promise<void>;
  monotonicNow?: () => number;
  log?: (message: string) => void;
}

/** Resolves after `ms`, or at once when `signal` aborts. */
function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener("abort", done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener("abort", done, { once: true });
  });
}

export function createStatusShow(options: StatusShowOptions): (signal: AbortSignal) => Promise<void> {
  const now = options.monotonicNow ?? (() => performance.now());
  const frameMs = 1000 / statusFramesPerSecond;
  const patternNow = () => statusPatternFor(options.hostStatus.phase);
  // The first time the host is seen ready (and after every status pattern), the sweep says so.
  let sweepDue = true;

  /** Plays `pattern` until `signal` aborts, `done()` says so or `forMs` passed. */
  async function play(pattern: StatusPattern, signal: AbortSignal, done: () => boolean, forMs = Infinity): Promise<void> {
    const start = now();
    while (!signal.aborted && !done()) {
      const elapsed = now() - start;
      if (elapsed >= forMs) return;
      options.onFrame(statusFrame(pattern, options.ledCount(), elapsed));
      await pause(frameMs, signal);
    }
  }

  /** Resolves when the host's status changes or `signal` aborts. */
  function statusChanged(signal: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      const unsubscribe = options.hostStatus.subscribe(() => finish());
      const finish = () => {
        unsubscribe();
        signal.removeEventListener("abort", finish);
        resolve();
      };
      signal.addEventListener("abort", finish, { once: true });
      if (signal.aborted) finish();
    });
  }

  /** The idle show (or darkness), cut short when the host stops being ready. */
  async function whileReady(signal: AbortSignal): Promise<void> {
    const inner = new AbortController();
    const abortInner = () => inner.abort();
    signal.addEventListener("abort", abortInner, { once: true });
    const unsubscribe = options.hostStatus.subscribe(() => {
      if (patternNow() !== null) inner.abort();
    });
    try {
      if (options.runIdle !== undefined) {
        await options.runIdle(inner.signal);
      } else {
        await options.darken();
        while (!inner.signal.aborted) await statusChanged(inner.signal);
      }
    } finally {
      unsubscribe();
      signal.removeEventListener("abort", abortInner);
    }
  }

  return async function runStatusShow(signal: AbortSignal): Promise<void> {
    while (!signal.aborted) {
      const pattern = patternNow();
      if (pattern !== null) {
        sweepDue = true;
        await play(pattern, signal, () => patternNow() !== pattern);
        continue;
      }
      if (sweepDue && options.hostStatus.phase !== undefined) {
        await play("ready-sweep", signal, () => patternNow() !== null, readySweepMs);
        sweepDue = false;
        continue;
      }
      await whileReady(signal);
      // The idle show ended on its own: hand back to the scheduler, which restarts it as before.
      if (patternNow() === null) return;
    }
  };
}
