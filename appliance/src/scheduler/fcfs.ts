/**
 * First come, first served: one program on the tree at a time, in acceptance
 * order. The scheduler only decides *what runs when*; running a job (sandbox,
 * records, daemon) is the `runJob` callback's business, so this file is tested
 * with fake timers and fake jobs. When the queue is empty the idle show runs and
 * is aborted the moment a submission arrives.
 */
export type AbortReason = "skipped" | "shutdown" | "removed";

export interface RunningJob {
  uuid: string;
  /** When it started, on the wall clock as it reads now: now() minus the time it has run by the
   * monotonic clock, so a jump of the wall clock moves the start with it and no ETA changes. */
  startedAtMs: number;
}

export interface SchedulerOptions {
  /** Runs one submission to its end; must honour `signal` (its reason says why it was aborted). */
  runJob(uuid: string, signal: AbortSignal): Promise<void>;
  /** Runs the idle show until it ends or `signal` aborts. Omit to have no idle show. */
  runIdle?: (signal: AbortSignal) => Promise<void>;
  /** Called after every change of what is queued or running. */
  onChange?: () => void;
  now?: () => number;
  /** Monotonic milliseconds (default performance.now) for how long a job has run: never the wall clock. */
  monotonicNow?: () => number;
  /** Pause before restarting an idle show that ended by itself (or failed), so a broken show cannot spin. */
  idleRestartDelayMs?: number;
  log?: (message: string) => void;
}

export class FcfsScheduler {
  private readonly queue: string[] = [];
  private current: { uuid: string; startedAtMonotonicMs: number; abort: AbortController } | null = null;
  private idle: AbortController | null = null;
  private paused = false;
  private stopped = false;
  private wake: (() => void) | null = null;
  private loop: Promise<void> | null = null;
  private readonly now: () => number;
  private readonly monotonicNow: () => number;

  constructor(private readonly options: SchedulerOptions) {
    this.now = options.now ?? Date.now;
    this.monotonicNow = options.monotonicNow ?? (() => performance.now());
  }

  /** Starts the loop with the given uuids already queued (recovered after a restart). */
  start(initial: readonly string[] = []): void {
    if (this.loop !== null) throw new Error("scheduler already started");
    this.queue.push(...initial);
    this.loop = this.run();
  }

  /**
   * Queues uuids without starting the loop: the queue is shown (and kept) while
   * nothing may run, e.g. when the sandbox is unusable on this machine.
   */
  hold(initial: readonly string[]): void {
    if (this.loop !== null) throw new Error("scheduler already started");
    this.queue.push(...initial);
  }

  /** Stops the idle show and the running job (reason "shutdown") and waits for both to end. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.current?.abort.abort("shutdown" satisfies AbortReason);
    this.idle?.abort();
    this.wake?.();
    await this.loop;
  }

  enqueue(uuid: string): void {
    this.queue.push(uuid);
    // The idle show yields at once to a visitor.
    this.idle?.abort();
    this.wake?.();
    this.changed();
  }

  /** Takes a pending submission out of the queue. False when it is not pending. */
  dequeue(uuid: string): boolean {
    const index = this.queue.indexOf(uuid);
    if (index === -1) return false;
    this.queue.splice(index, 1);
    this.changed();
    return true;
  }

  /** Aborts the running submission. False when nothing (or not `uuid`) is running. */
  abortRunning(reason: AbortReason, uuid?: string): boolean {
    if (this.current === null || (uuid !== undefined && this.current.uuid !== uuid)) return false;
    this.current.abort.abort(reason);
    return true;
  }

  pause(): void {
    this.paused = true;
    this.changed();
  }

  resume(): void {
    this.paused = false;
    if (this.queue.length > 0) this.idle?.abort();
    this.wake?.();
    this.changed();
  }

  get isPaused(): boolean {
    return this.paused;
  }
  get running(): RunningJob | null {
    if (this.current === null) return null;
    return { uuid: this.current.uuid, startedAtMs: this.now() - (this.monotonicNow() - this.current.startedAtMonotonicMs) };
  }
  get pending(): readonly string[] {
    return this.queue;
  }
  get idleShowRunning(): boolean {
    return this.idle !== null;
  }
  positionOf(uuid: string): number | null {
    const index = this.queue.indexOf(uuid);
    return index === -1 ? null : index + 1;
  }

  private changed(): void {
    try {
      this.options.onChange?.();
    } catch (error) {
      this.options.log?.(`scheduler listener failed: ${String(error)}`);
    }
  }

  /** Resolves on the next enqueue/resume/stop, or after `ms` if given. */
  private sleep(ms?: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = ms === undefined ? undefined : setTimeout(() => done(), ms);
      const done = () => {
        if (timer !== undefined) clearTimeout(timer);
        if (this.wake === done) this.wake = null;
        resolve();
      };
      this.wake = done;
    });
  }

  private async run(): Promise<void> {
    while (!this.stopped) {
      const next = this.paused ? undefined : this.queue.shift();
      if (next !== undefined) {
        await this.runOne(next);
        continue;
      }
      if (this.options.runIdle === undefined) {
        await this.sleep();
        continue;
      }
      const abort = new AbortController();
      this.idle = abort;
      this.changed();
      try {
        await this.options.runIdle(abort.signal);
      } catch (error) {
        this.options.log?.(`idle show failed: ${String(error)}`);
      }
      this.idle = null;
      this.changed();
      if (!abort.signal.aborted && !this.stopped) await this.sleep(this.options.idleRestartDelayMs ?? 1000);
    }
  }

  private async runOne(uuid: string): Promise<void> {
    const abort = new AbortController();
    this.current = { uuid, startedAtMonotonicMs: this.monotonicNow(), abort };
    this.changed();
    try {
      await this.options.runJob(uuid, abort.signal);
    } catch (error) {
      this.options.log?.(`job ${uuid} failed inside the app: ${String(error)}`);
    }
    this.current = null;
    this.changed();
  }
}
