/**
 * Between two visitors' turns the tree does not go dark: the first one's held
 * last frame stays until the next program draws (fcfs.ts `handOver`). A next
 * program that draws nothing soon (it computes first, or fails) must not show
 * someone else's picture as its own for long: after `patienceMs` without a new
 * frame the tree goes dark.
 */
export interface HandOverOptions {
  /** Frames sent to the strip so far (any program's). */
  framesSent: () => number;
  darken: () => Promise<void>;
  patienceMs: number;
  log?: (message: string) => void;
}

export function createHandOver(options: HandOverOptions): () => void {
  return () => {
    const sent = options.framesSent();
    const timer = setTimeout(() => {
      if (options.framesSent() !== sent) return;
      options.darken().catch((error: unknown) => options.log?.(`clearing the tree failed: ${String(error)}`));
    }, options.patienceMs);
    // Never what keeps the app alive on its way out.
    (timer as { unref?: () => void }).unref?.();
  };
}
