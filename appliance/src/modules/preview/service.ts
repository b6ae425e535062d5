/**
 * Previews ("Try it"), without HTTP: the visitor's exact program in the same sandbox as a tree run
 * (same check, same jail, same frame validation), for at most previewSeconds, niced below the
 * tree's own run. Its frames go only to the listeners of its owner's page, never to the LEDs or
 * the live view. A few run at once tree-wide, few per address, with a per-address budget; finished
 * previews are kept in memory for a few minutes (a bounded number of them), then forgotten.
 */
import { randomUUID } from "node:crypto";
import type { PackedFrame } from "../../../../protocol/frame.ts";
import type { Config } from "../../config.ts";
import type { CheckProgram, SandboxStatus } from "../../context.ts";
import { AppError } from "../../errors.ts";
import type { RunProgram } from "../../scheduler/job-runner.ts";
import { toSeconds } from "../../scheduler/eta.ts";
import { defaultPolicy, policyWith, type SandboxPolicy } from "../../sandbox/policy.ts";
import type { RunResult } from "../../sandbox/run-result.ts";
import { rgbFromFrame } from "../live/broadcaster.ts";
import { SlidingWindowLimiter } from "../submissions/rate-limit.ts";
import type { PreviewStatus, PreviewView } from "./model.ts";

/** Five nice levels below the tree's run: the scheduler's program wins every contested slice. */
export const previewPolicy: SandboxPolicy = policyWith({ limits: { niceLevel: Math.min(19, defaultPolicy.limits.niceLevel + 5) } });
/** How long a finished preview can still be read. */
export const previewKeepMs = 5 * 60_000;
/** Previews remembered at most (running ones always are); the oldest finished go first. */
export const maxKeptPreviews = 200;

/** What a page watching a preview is told: frames as R, G, B bytes per LED, then the end. */
export interface PreviewListener {
  frame(rgb: Uint8Array): void;
  end(view: PreviewView): void;
}

interface Preview {
  id: string;
  owner: string;
  ip: string;
  status: PreviewStatus;
  frames: number;
  error: string | null;
  line: number | null;
  column: number | null;
  stdout: string;
  stderr: string;
  startedAtMs: number;
  finishedAtMs: number | null;
  /** Set when its owner started a newer one: this one is being stopped. */
  replaced: boolean;
  abort: AbortController;
  listeners: Set<PreviewListener>;
  lastFrame: PackedFrame | null;
  /** The last frame as sent to listeners (a page that connects late starts from it). */
  lastRgb: Uint8Array | null;
  lastSentAtMs: number;
  sendTimer: ReturnType<typeof setTimeout> | null;
  done: Promise<void>;
}

export interface PreviewServiceOptions {
  config: Pick<Config, "previewSeconds" | "maxConcurrentPreviews" | "previewsPerMinutePerIp" | "maxRunningPreviewsPerIp" | "liveFps">;
  runProgram: RunProgram;
  checkProgram: CheckProgram;
  sandbox: SandboxStatus;
  ledCount: () => number;
  now?: () => number;
  log?: (message: string) => void;
}

/** "line 2: IndexError: ..." (the runner's form of a visitor's error) → its line and the message. */
export function splitErrorLine(error: string): { line: number | null; message: string } {
  const match = /^line (\d+): ([\s\S]*)$/.exec(error);
  if (match === null) return { line: null, message: error };
  return { line: Number(match[1]), message: match[2]! };
}

export class PreviewService {
  private readonly previews = new Map<string, Preview>();
  private readonly limiter: SlidingWindowLimiter;
  private readonly now: () => number;

  constructor(private readonly options: PreviewServiceOptions) {
    this.now = options.now ?? Date.now;
    this.limiter = new SlidingWindowLimiter(options.config.previewsPerMinutePerIp, 60_000, this.now);
  }

  get running(): number {
    let count = 0;
    for (const preview of this.previews.values()) if (preview.status === "running" && !preview.replaced) count++;
    return count;
  }

  /** Refusals that need no program: checked before the body is read. Spends nothing. */
  admit(owner: string, ip: string): void {
    const { config, sandbox } = this.options;
    if (config.maxConcurrentPreviews === 0) throw new AppError("previews_busy", "Try it is turned off on this tree. Press Run to see your program on the tree itself.");
    if (!sandbox.ready) {
      throw new AppError("sandbox_unavailable", `The tree cannot run programs right now: ${sandbox.reason ?? "its sandbox is not ready"}. Please tell the operator.`);
    }
    const others = this.runningWhere((preview) => preview.ip === ip && preview.owner !== owner);
    // One phone cannot hold every slot (its owner's newer preview replaces the older instead).
    if (others.length >= config.maxRunningPreviewsPerIp) {
      const wait = this.secondsUntilOneEnds(others);
      throw new AppError(
        "too_many_connections",
        `Another preview from your network address is still running. Try again in ${wait} s.`,
        { retryAfterSeconds: wait },
      );
    }
    const all = this.runningWhere((preview) => preview.owner !== owner);
    if (all.length >= config.maxConcurrentPreviews) {
      const wait = this.secondsUntilOneEnds(all);
      throw new AppError(
        "previews_busy",
        `${all.length === 1 ? "Someone else is" : `${all.length} people are`} trying a program right now (the tree runs ${config.maxConcurrentPreviews} preview${config.maxConcurrentPreviews === 1 ? "" : "s"} at once). Try again in ${wait} s.`,
        { retryAfterSeconds: wait },
      );
    }
  }

  /** Starts a preview (its owner's running one is stopped) and answers at once; the check runs inside it. */
  start(owner: string, ip: string, source: string): { id: string } {
    // The body took time to arrive: another page may have taken the last slot meanwhile.
    this.admit(owner, ip);
    const rate = this.limiter.hit(ip);
    if (!rate.ok) {
      const wait = Math.max(1, toSeconds(rate.retryAfterMs));
      throw new AppError(
        "rate_limited",
        `Too many previews from your network: at most ${this.options.config.previewsPerMinutePerIp} a minute. Try again in ${wait} s.`,
        { retryAfterSeconds: wait },
      );
    }
    for (const earlier of this.runningWhere((preview) => preview.owner === owner)) {
      earlier.replaced = true;
      earlier.abort.abort();
    }
    this.forgetOld();
    const preview: Preview = {
      id: randomUUID(),
      owner,
      ip,
      status: "running",
      frames: 0,
      error: null,
      line: null,
      column: null,
      stdout: "",
      stderr: "",
      startedAtMs: this.now(),
      finishedAtMs: null,
      replaced: false,
      abort: new AbortController(),
      listeners: new Set(),
      lastFrame: null,
      lastRgb: null,
      lastSentAtMs: 0,
      sendTimer: null,
      done: Promise.resolve(),
    };
    this.previews.set(preview.id, preview);
    preview.done = this.run(preview, source).catch((error: unknown) => {
      this.options.log?.(`preview ${preview.id.slice(0, 8)} failed inside the app: ${String(error)}`);
      this.finish(preview, { status: "failed", error: "The preview could not run. It is not your fault; please try again." });
    });
    return { id: preview.id };
  }

  /** The preview as its owner sees it; undefined for anyone else (and for forgotten ones). */
  view(id: string, owner: string | null): PreviewView | undefined {
    this.forgetOld();
    const preview = this.previews.get(id);
    if (preview === undefined || owner === null || preview.owner !== owner) return undefined;
    return this.viewOf(preview);
  }

  /**
   * Follows a preview's frames: the current one at once, then each new one (at most liveFps a
   * second), then its end. Returns how to stop following, or undefined when it is not the owner's.
   */
  watch(id: string, owner: string | null, listener: PreviewListener): (() => void) | undefined {
    const preview = this.previews.get(id);
    if (preview === undefined || owner === null || preview.owner !== owner) return undefined;
    if (preview.status !== "running") {
      if (preview.lastRgb !== null) listener.frame(preview.lastRgb);
      listener.end(this.viewOf(preview));
      return () => undefined;
    }
    preview.listeners.add(listener);
    // Frames shown before anyone watched were kept, not sent: the newest goes out now.
    if (preview.lastFrame !== null && preview.sendTimer === null) this.send(preview);
    else if (preview.lastRgb !== null) listener.frame(preview.lastRgb);
    return () => preview.listeners.delete(listener);
  }

  /** Listeners of one preview (a page may hold a few sockets; tests and the route's cap read this). */
  listenerCount(id: string): number {
    return this.previews.get(id)?.listeners.size ?? 0;
  }

  /** Stops every running preview and waits until their sandboxes are gone (appliance stop). */
  async stopAll(): Promise<void> {
    const running = [...this.previews.values()].filter((preview) => preview.status === "running");
    for (const preview of running) preview.abort.abort();
    await Promise.all(running.map((preview) => preview.done));
  }

  private runningWhere(matches: (preview: Preview) => boolean): Preview[] {
    return [...this.previews.values()].filter((preview) => preview.status === "running" && !preview.replaced && matches(preview));
  }

  private secondsUntilOneEnds(running: Preview[]): number {
    const limitMs = this.options.config.previewSeconds * 1000;
    const firstEnd = Math.min(...running.map((preview) => preview.startedAtMs + limitMs));
    return Math.max(1, toSeconds(firstEnd - this.now()));
  }

  private async run(preview: Preview, source: string): Promise<void> {
    let verdict;
    try {
      verdict = await this.options.checkProgram(source);
    } catch (error) {
      this.options.log?.(`checker failed: ${String(error)}`);
      verdict = { ok: false as const, error: "Your program could not be checked right now. Please try again in a moment.", line: 1, column: 1 };
    }
    if (!verdict.ok) {
      this.finish(preview, { status: "rejected", error: verdict.error, line: verdict.line, column: verdict.column });
      return;
    }
    // The check took time: a newer preview of the same owner may already have replaced this one.
    if (preview.abort.signal.aborted) {
      this.finish(preview, { status: "failed", error: this.stopReason(preview) });
      return;
    }
    const result = await this.options.runProgram({
      source,
      ledCount: this.options.ledCount(),
      timeLimitMs: this.options.config.previewSeconds * 1000,
      signal: preview.abort.signal,
      policy: previewPolicy,
      onFrame: (frame) => this.onFrame(preview, frame),
    });
    this.finish(preview, this.fromResult(preview, result));
  }

  private fromResult(preview: Preview, result: RunResult): Partial<Preview> & { status: PreviewStatus } {
    const output = { frames: result.frames, stdout: result.stdout, stderr: result.stderr };
    if (preview.abort.signal.aborted) return { status: "failed", error: this.stopReason(preview), ...output };
    if (result.error === undefined || result.status === "completed") return { status: result.status, ...output };
    if (result.status === "timeout") return { status: "timeout", error: `Stopped at the ${this.options.config.previewSeconds} s preview limit.`, ...output };
    const { line, message } = splitErrorLine(result.error);
    return { status: result.status, error: message, line, ...output };
  }

  private stopReason(preview: Preview): string {
    return preview.replaced ? "Stopped: you started a newer preview." : "Stopped: the tree's app is shutting down.";
  }

  private onFrame(preview: Preview, frame: PackedFrame): void {
    preview.frames++;
    preview.lastFrame = frame;
    if (preview.sendTimer !== null || preview.listeners.size === 0) return;
    const intervalMs = 1000 / this.options.config.liveFps;
    const waitMs = Math.max(0, preview.lastSentAtMs + intervalMs - performance.now());
    // A program may show 60 frames a second; its page gets at most liveFps, always the newest.
    preview.sendTimer = setTimeout(() => this.send(preview), waitMs);
  }

  private send(preview: Preview): void {
    preview.sendTimer = null;
    if (preview.lastFrame === null) return;
    preview.lastSentAtMs = performance.now();
    const rgb = rgbFromFrame(preview.lastFrame);
    preview.lastFrame = null;
    preview.lastRgb = rgb;
    for (const listener of preview.listeners) {
      try {
        listener.frame(rgb);
      } catch {
        // A page that went away is dropped by its own close handler.
      }
    }
  }

  private finish(preview: Preview, outcome: Partial<Preview> & { status: PreviewStatus }): void {
    if (preview.status !== "running") return;
    if (preview.sendTimer !== null) clearTimeout(preview.sendTimer);
    // The last frame is the one the visitor should be left looking at.
    if (preview.lastFrame !== null) this.send(preview);
    Object.assign(preview, outcome, { finishedAtMs: this.now(), lastFrame: null, sendTimer: null });
    const view = this.viewOf(preview);
    for (const listener of preview.listeners) {
      try {
        listener.end(view);
      } catch {
        // As above.
      }
    }
    preview.listeners.clear();
  }

  private viewOf(preview: Preview): PreviewView {
    return {
      id: preview.id,
      status: preview.status,
      frames: preview.frames,
      error: preview.error,
      line: preview.line,
      column: preview.column,
      stdout: preview.stdout,
      stderr: preview.stderr,
      limitSeconds: this.options.config.previewSeconds,
    };
  }

  private forgetOld(): void {
    const now = this.now();
    const finished: Preview[] = [];
    for (const preview of this.previews.values()) {
      if (preview.finishedAtMs === null) continue;
      if (now - preview.finishedAtMs >= previewKeepMs) this.previews.delete(preview.id);
      else finished.push(preview);
    }
    // Map order is start order, so the first finished ones are the oldest.
    for (let excess = this.previews.size - maxKeptPreviews, i = 0; excess > 0 && i < finished.length; excess--, i++) {
      this.previews.delete(finished[i]!.id);
    }
  }
}
