/**
 * First come, first served: one program on the tree at a time, in acceptance
 * order. The scheduler only decides *what runs when*; running a job (sandbox,
 * records, daemon) is the `runJob` callback's business, so this file is tested
 * with fake timers and fake jobs. When the queue is empty the idle show runs and
 * is aborted the moment a submission arrives.
 *
 * A visitor's turn does not end with their program. Most first programs set the
 * LEDs once and end; if the next one started at once nobody would ever see
 * them. So a program that showed a frame keeps its last frame on the tree (the
 * "hold") until `minShowMs` after it started, and, while nobody waits, until
 * `idleAfterMs` after it ended; only then does the next program or the idle
 * show take over. A new upload during an idle hold starts as soon as the
 * `minShowMs` part is over.
 *
 * The switch itself should take no longer than a frame: while a program runs
 * or holds, the queue's head is prepared (`prepareJob`: checked, jailed and
 * compiled, waiting for go), and a held last frame passes straight to the next
 * program (`handOver`) instead of going dark first. An upload during the idle
 * show is prepared first; the idle show yields once it is ready (at most
 * `prepareWaitMs` later), so the tree never waits dark for a jail to start.
 */
export type AbortReason = "skipped" | "shutdown" | "removed";

export interface RunningJob {
  uuid: string;
  /** When it started, on the wall clock as it reads now (see `wallClockOf`). */
  startedAtMs: number;
}

/** A finished program whose last frame the tree still shows. */
export interface HeldFrame {
  uuid: string;
  /** The next program may start from here on (its start + minShowMs). */
  minUntilMs: number;
  /** The hold ends here as things stand now: minUntilMs when somebody waits, else the idle timeout. */
  untilMs: number;
}

/** What the job runner tells the scheduler about a finished job. */
export interface JobOutcome {
  /** It showed a frame that should stay on the tree for the rest of its turn (not after a skip or removal). */
  holdLastFrame: boolean;
}

/** A held last frame, in monotonic times. */
interface Hold {
  uuid: string;
  minUntilMs: number;
  idleUntilMs: number;
  ended: boolean;
}

export interface SchedulerOptions {
  /**
   * Runs one submission to its end; must honour `signal` (its reason says why it was aborted). It
   * may call `finished` as soon as the run's outcome is known, before recording it; what it
   * resolves with counts when it did not.
   */
  runJob(uuid: string, signal: AbortSignal, finished: (outcome: JobOutcome) => void): Promise<JobOutcome | void>;
  /** Least time a visitor's turn lasts, counted from its start: a shorter program's last frame stays until then. */
  minShowMs?: number;
  /** How long a last frame stays after its program ended while nobody waits, before the idle show. */
  idleAfterMs?: number;
  /** Called when a visitor's turn is over (after the hold, if any): the strip goes dark. */
  afterTurn?: () => Promise<void>;
  /**
   * Called instead of `afterTurn` when a held last frame passes straight to the next program:
   * the frame stays until the next one draws (the callee darkens if it does not, soon).
   */
  handOver?: () => void;
  /**
   * Prepares the queue's head to start at once (job-runner.ts `prepare`), or with null drops
   * what was prepared. Resolves when it is ready or cannot be; undefined when nothing is prepared.
   */
  prepareJob?: (uuid: string | null) => Promise<void> | undefined;
  /** Longest the idle show keeps the tree while an upload is prepared (default 2000). */
  prepareWaitMs?: number;
  /** Runs the idle show until it ends or `signal` aborts. Omit to have no idle show. */
  runIdle?: (signal: AbortSignal) => Promise<void>;
  /** Called after every change of what is queued or running. */
  onChange?: () => void;
  /** Wall clock, only for the times people read. */
  now?: () => number;
  /** Monotonic milliseconds (default performance.now) for every duration: a wall-clock jump moves no slot or hold. */
  monotonicNow?: () => number;
  /** Pause before restarting an idle show that ended by itself (or failed), so a broken show cannot spin. */
  idleRestartDelayMs?: number;
  log?: (message: string) => void;
}

export class FcfsScheduler {
  private readonly queue: string[] = [];
  // Times kept here are monotonic; the getters turn them into wall-clock times as the clock reads now.
  private current: { uuid: string; startedAtMonotonicMs: number; abort: AbortController } | null = null;
  private holding: Hold | null = null;
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

  /** A monotonic instant as the wall clock reads it now: a jump of the wall clock moves it along, so no ETA changes. */
  private wallClockOf(monotonicMs: number): number {
    return this.now() + (monotonicMs - this.monotonicNow());
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
    this.syncPrepared();
    this.current?.abort.abort("shutdown" satisfies AbortReason);
    this.idle?.abort();
    this.wake?.();
    await this.loop;
  }

  enqueue(uuid: string): void {
    this.queue.push(uuid);
    this.syncPrepared();
    // The idle show yields to a visitor, as soon as their program is ready to start.
    this.yieldIdle();
    this.wake?.();
    this.changed();
  }

  /** Takes a pending submission out of the queue. False when it is not pending. */
  dequeue(uuid: string): boolean {
    const index = this.queue.indexOf(uuid);
    if (index === -1) return false;
    this.queue.splice(index, 1);
    this.syncPrepared();
    this.changed();
    return true;
  }

  /**
   * Aborts the running submission, or ends the hold of a finished one's last
   * frame (the operator's skip clears the tree either way). False when nothing
   * (or not `uuid`) is running or held.
   */
  abortRunning(reason: AbortReason, uuid?: string): boolean {
    if (this.current !== null && (uuid === undefined || this.current.uuid === uuid)) {
      this.current.abort.abort(reason);
      return true;
    }
    if (this.holding !== null && !this.holding.ended && (uuid === undefined || this.holding.uuid === uuid)) {
      this.holding.ended = true;
      this.wake?.();
      return true;
    }
    return false;
  }

  pause(): void {
    this.paused = true;
    this.syncPrepared();
    this.changed();
  }

  resume(): void {
    this.paused = false;
    this.syncPrepared();
    if (this.queue.length > 0) this.yieldIdle();
    this.wake?.();
    this.changed();
  }

  get isPaused(): boolean {
    return this.paused;
  }
  get running(): RunningJob | null {
    return this.current === null ? null : { uuid: this.current.uuid, startedAtMs: this.wallClockOf(this.current.startedAtMonotonicMs) };
  }
  get pending(): readonly string[] {
    return this.queue;
  }
  get idleShowRunning(): boolean {
    return this.idle !== null;
  }
  /** The finished program whose last frame the tree shows now, if any. */
  get heldFrame(): HeldFrame | null {
    if (this.holding === null || this.holding.ended) return null;
    return { uuid: this.holding.uuid, minUntilMs: this.wallClockOf(this.holding.minUntilMs), untilMs: this.wallClockOf(this.holdUntilMs(this.holding)) };
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

  /** Keeps the prepared run on the queue's head (none while paused or stopping). */
  private syncPrepared(): Promise<void> | undefined {
    if (this.options.prepareJob === undefined) return undefined;
    const head = this.paused || this.stopped ? null : (this.queue[0] ?? null);
    try {
      return this.options.prepareJob(head);
    } catch (error) {
      this.options.log?.(`preparing ${head} failed: ${String(error)}`);
      return undefined;
    }
  }

  /** Ends the idle show for the waiting visitor: once their program is prepared, or after prepareWaitMs. */
  private yieldIdle(): void {
    const idle = this.idle;
    if (idle === null || idle.signal.aborted) return;
    const ready = this.syncPrepared();
    if (ready === undefined) {
      idle.abort();
      return;
    }
    let timer: ReturnType<typeof setTimeout> | undefined;
    const end = () => {
      clearTimeout(timer);
      // Nobody waits any more (cancelled meanwhile): the show goes on.
      if (this.idle === idle && (this.someoneWaits || this.stopped)) idle.abort();
    };
    timer = setTimeout(end, this.options.prepareWaitMs ?? 2000);
    void ready.then(end, end);
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
    const startedAtMs = this.monotonicNow();
    this.current = { uuid, startedAtMonotonicMs: startedAtMs, abort };
    this.changed();
    const state: { reported: boolean; hold: Hold | null } = { reported: false, hold: null };
    // The job may report its outcome before it has written its record: the hold starts there, so
    // nobody reads "completed" while the queue does not yet say whose last frame the tree shows.
    const finished = (outcome: JobOutcome) => {
      if (state.reported) return;
      state.reported = true;
      this.current = null;
      if (outcome.holdLastFrame && !this.stopped) state.hold = this.startHold(uuid, startedAtMs);
      this.changed();
    };
    try {
      const job = this.options.runJob(uuid, abort.signal, finished);
      // The job has taken its prepared run (synchronously); the new head is prepared next.
      this.syncPrepared();
      finished((await job) ?? { holdLastFrame: false });
    } catch (error) {
      this.options.log?.(`job ${uuid} failed inside the app: ${String(error)}`);
      finished({ holdLastFrame: false });
    }
    if (state.hold !== null) await this.waitOutHold(state.hold);
    // A last frame that ran its time passes straight to the next program: no dark gap between
    // two pictures. The operator's skip, or nobody next, ends the turn dark.
    if (state.hold !== null && !state.hold.ended && this.someoneWaits && !this.stopped && this.options.handOver !== undefined) {
      try {
        this.options.handOver();
      } catch (error) {
        this.options.log?.(`handing the tree over after ${uuid} failed: ${String(error)}`);
      }
      return;
    }
    try {
      await this.options.afterTurn?.();
    } catch (error) {
      this.options.log?.(`clearing the tree after ${uuid} failed: ${String(error)}`);
    }
  }

  /** Somebody may start next: the queue has a program and is not paused. */
  private get someoneWaits(): boolean {
    return !this.paused && this.queue.length > 0;
  }

  private holdUntilMs(hold: { minUntilMs: number; idleUntilMs: number }): number {
    return this.someoneWaits ? hold.minUntilMs : Math.max(hold.minUntilMs, hold.idleUntilMs);
  }

  /** Starts holding a finished program's last frame (see the file comment). Times are monotonic. */
  private startHold(uuid: string, startedAtMs: number): Hold {
    const hold = {
      uuid,
      minUntilMs: startedAtMs + (this.options.minShowMs ?? 0),
      idleUntilMs: this.monotonicNow() + (this.options.idleAfterMs ?? 0),
      ended: false,
    };
    this.holding = hold;
    return hold;
  }

  /** Keeps the last frame on the tree until its turn is over. */
  private async waitOutHold(hold: Hold): Promise<void> {
    // Re-evaluated on every wake: an upload shortens an idle hold, a pause or a cancel lengthens it again.
    while (!this.stopped && !hold.ended) {
      const left = this.holdUntilMs(hold) - this.monotonicNow();
      if (left <= 0) break;
      await this.sleep(left);
    }
    this.holding = null;
    this.changed();
  }
}
