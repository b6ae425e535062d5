import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { etaMs, runningRemainingMs } from "./eta.ts";
import { FcfsScheduler } from "./fcfs.ts";

const slotMs = 45_000;

/** A fake job: takes `durationMs` of fake time unless aborted; records what happened. */
function harness(durations: Record<string, number> = {}) {
  const log: string[] = [];
  const scheduler = new FcfsScheduler({
    now: () => Date.now(),
    idleRestartDelayMs: 1000,
    runJob: (uuid, signal) =>
      new Promise<void>((resolve) => {
        log.push(`start ${uuid}`);
        const timer = setTimeout(() => {
          log.push(`end ${uuid}`);
          resolve();
        }, durations[uuid] ?? slotMs);
        signal.addEventListener("abort", () => {
          clearTimeout(timer);
          log.push(`abort ${uuid} ${String(signal.reason)}`);
          resolve();
        });
      }),
    runIdle: (signal) =>
      new Promise<void>((resolve) => {
        log.push("idle");
        const timer = setTimeout(resolve, 600_000);
        signal.addEventListener("abort", () => {
          clearTimeout(timer);
          log.push("idle yields");
          resolve();
        });
      }),
  });
  return { scheduler, log };
}

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

describe("FcfsScheduler", () => {
  it("runs one job at a time in arrival order", async () => {
    const { scheduler, log } = harness({ a: 10_000, b: 20_000, c: 5_000 });
    scheduler.start();
    await vi.advanceTimersByTimeAsync(0);
    scheduler.enqueue("a");
    scheduler.enqueue("b");
    scheduler.enqueue("c");
    await vi.advanceTimersByTimeAsync(0);
    expect(scheduler.running?.uuid).toBe("a");
    expect(scheduler.pending).toEqual(["b", "c"]);
    expect(scheduler.positionOf("c")).toBe(2);
    await vi.advanceTimersByTimeAsync(10_000);
    expect(scheduler.running?.uuid).toBe("b");
    await vi.advanceTimersByTimeAsync(25_000);
    expect(log.filter((line) => !line.startsWith("idle"))).toEqual(["start a", "end a", "start b", "end b", "start c", "end c"]);
    await scheduler.stop();
  });

  it("runs the idle show on an empty queue and makes it yield at once to a submission", async () => {
    const { scheduler, log } = harness({ a: 1000 });
    scheduler.start();
    await vi.advanceTimersByTimeAsync(0);
    expect(scheduler.idleShowRunning).toBe(true);
    scheduler.enqueue("a");
    await vi.advanceTimersByTimeAsync(0);
    expect(log).toEqual(["idle", "idle yields", "start a"]);
    expect(scheduler.idleShowRunning).toBe(false);
    await vi.advanceTimersByTimeAsync(1000);
    expect(scheduler.idleShowRunning).toBe(true);
    await scheduler.stop();
  });

  it("restarts an idle show that ended by itself after a pause", async () => {
    const runs: number[] = [];
    const scheduler = new FcfsScheduler({
      idleRestartDelayMs: 1000,
      runJob: async () => undefined,
      runIdle: async () => void runs.push(Date.now()),
    });
    scheduler.start();
    await vi.advanceTimersByTimeAsync(2500);
    expect(runs).toHaveLength(3);
    await scheduler.stop();
  });

  it("pauses between jobs and resumes", async () => {
    const { scheduler, log } = harness({ a: 1000, b: 1000 });
    scheduler.start(["a", "b"]);
    await vi.advanceTimersByTimeAsync(0);
    scheduler.pause();
    await vi.advanceTimersByTimeAsync(5000);
    expect(log.filter((line) => line.includes(" b"))).toEqual([]);
    expect(scheduler.pending).toEqual(["b"]);
    scheduler.resume();
    await vi.advanceTimersByTimeAsync(0);
    expect(scheduler.running?.uuid).toBe("b");
    await scheduler.stop();
  });

  it("aborts the running job with a reason, and only the named one", async () => {
    const { scheduler, log } = harness();
    scheduler.start(["a", "b"]);
    await vi.advanceTimersByTimeAsync(0);
    expect(scheduler.abortRunning("skipped", "b")).toBe(false);
    expect(scheduler.abortRunning("skipped")).toBe(true);
    await vi.advanceTimersByTimeAsync(0);
    expect(log).toContain("abort a skipped");
    expect(scheduler.running?.uuid).toBe("b");
    expect(scheduler.dequeue("b")).toBe(false);
    await scheduler.stop();
    expect(log).toContain("abort b shutdown");
  });

  it("removes a pending job from the queue", async () => {
    const { scheduler, log } = harness({ a: 1000, b: 1000, c: 1000 });
    scheduler.start(["a", "b", "c"]);
    await vi.advanceTimersByTimeAsync(0);
    expect(scheduler.dequeue("b")).toBe(true);
    await vi.advanceTimersByTimeAsync(3000);
    expect(log.filter((line) => line.startsWith("start"))).toEqual(["start a", "start c"]);
    await scheduler.stop();
  });

  it("can hold a queue without running anything", async () => {
    const { scheduler, log } = harness();
    scheduler.hold(["a", "b"]);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(log).toEqual([]);
    expect(scheduler.pending).toEqual(["a", "b"]);
    expect(scheduler.positionOf("b")).toBe(2);
    await scheduler.stop();
  });

  it("keeps going when a job throws", async () => {
    const ran: string[] = [];
    const scheduler = new FcfsScheduler({
      runJob: async (uuid) => {
        ran.push(uuid);
        if (uuid === "a") throw new Error("boom");
      },
    });
    scheduler.start(["a", "b"]);
    await vi.advanceTimersByTimeAsync(0);
    expect(ran).toEqual(["a", "b"]);
    await scheduler.stop();
  });
});

describe("ETA", () => {
  it("is the running job's remaining slot plus a full slot per job ahead (worst case)", () => {
    const input = { nowMs: 100_000, slotMs, runningStartedAtMs: 100_000 - 15_000 };
    expect(runningRemainingMs(input)).toBe(30_000);
    expect(etaMs(input, 0)).toBe(30_000);
    expect(etaMs(input, 2)).toBe(30_000 + 2 * slotMs);
    expect(etaMs({ ...input, runningStartedAtMs: null }, 1)).toBe(slotMs);
    // A job past its slot (shutting down) never makes an ETA negative.
    expect(runningRemainingMs({ ...input, runningStartedAtMs: 0 })).toBe(0);
  });
});

describe("the last frame's hold", () => {
  const minShowMs = 15_000;
  const idleAfterMs = 60_000;
  beforeEach(() => vi.setSystemTime(0));

  /** Jobs that end after `durations[uuid]` and ask for a hold unless listed in `noHold`. */
  function holding(durations: Record<string, number>, noHold: string[] = []) {
    const log: string[] = [];
    const scheduler = new FcfsScheduler({
      minShowMs,
      idleAfterMs,
      afterTurn: async () => void log.push(`dark at ${Date.now()}`),
      runJob: (uuid, signal) =>
        new Promise((resolve) => {
          log.push(`start ${uuid} at ${Date.now()}`);
          const timer = setTimeout(() => resolve({ holdLastFrame: !noHold.includes(uuid) }), durations[uuid] ?? slotMs);
          signal.addEventListener("abort", () => {
            clearTimeout(timer);
            resolve({ holdLastFrame: false });
          });
        }),
      runIdle: (signal) =>
        new Promise<void>((resolve) => {
          log.push(`idle at ${Date.now()}`);
          signal.addEventListener("abort", () => resolve());
        }),
    });
    return { scheduler, log };
  }

  it("keeps a short program's last frame until minShow after its start before the next one starts", async () => {
    const { scheduler, log } = holding({ a: 400, b: 20_000 });
    scheduler.start(["a", "b"]);
    await vi.advanceTimersByTimeAsync(400);
    expect(scheduler.running).toBeNull();
    expect(scheduler.heldFrame).toEqual({ uuid: "a", minUntilMs: minShowMs, untilMs: minShowMs });
    // The next one's ETA counts the hold.
    expect(etaMs({ nowMs: Date.now(), slotMs, runningStartedAtMs: null, holdMinUntilMs: scheduler.heldFrame!.minUntilMs }, 0)).toBe(minShowMs - 400);
    await vi.advanceTimersByTimeAsync(minShowMs - 401);
    expect(scheduler.running).toBeNull();
    await vi.advanceTimersByTimeAsync(1);
    expect(scheduler.running?.uuid).toBe("b");
    expect(log).toEqual(["start a at 0", `dark at ${minShowMs}`, `start b at ${minShowMs}`]);
    await scheduler.stop();
  });

  it("holds a visitor's last frame idleAfter when nobody waits, then gives the tree back to the idle show", async () => {
    const { scheduler, log } = holding({ a: 30_000 });
    scheduler.start(["a"]);
    await vi.advanceTimersByTimeAsync(30_000);
    expect(scheduler.heldFrame).toMatchObject({ uuid: "a", untilMs: 30_000 + idleAfterMs });
    expect(scheduler.idleShowRunning).toBe(false);
    await vi.advanceTimersByTimeAsync(idleAfterMs - 1);
    expect(scheduler.heldFrame?.uuid).toBe("a");
    await vi.advanceTimersByTimeAsync(1);
    expect(scheduler.heldFrame).toBeNull();
    expect(log).toEqual(["start a at 0", `dark at ${30_000 + idleAfterMs}`, `idle at ${30_000 + idleAfterMs}`]);
    await scheduler.stop();
  });

  it("starts an upload that arrives during an idle hold at once when minShow is over, and at minShow when not", async () => {
    const { scheduler, log } = holding({ a: 20_000, b: 1_000, c: 1_000 });
    scheduler.start(["a"]);
    await vi.advanceTimersByTimeAsync(25_000);
    scheduler.enqueue("b");
    await vi.advanceTimersByTimeAsync(0);
    expect(scheduler.running?.uuid).toBe("b");
    // b ends at 26 s; c arrives at 27 s, while b's minShow lasts until 25 + 15 = 40 s.
    await vi.advanceTimersByTimeAsync(2_000);
    scheduler.enqueue("c");
    expect(scheduler.heldFrame).toEqual({ uuid: "b", minUntilMs: 40_000, untilMs: 40_000 });
    await vi.advanceTimersByTimeAsync(12_999);
    expect(scheduler.running).toBeNull();
    await vi.advanceTimersByTimeAsync(1);
    expect(log.filter((line) => line.startsWith("start"))).toEqual(["start a at 0", "start b at 25000", "start c at 40000"]);
    await scheduler.stop();
  });

  it("lengthens the hold again when the waiting program is cancelled or the queue paused", async () => {
    const { scheduler } = holding({ a: 1_000, b: 1_000 });
    scheduler.start(["a", "b"]);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(scheduler.heldFrame?.untilMs).toBe(minShowMs);
    scheduler.pause();
    expect(scheduler.heldFrame?.untilMs).toBe(1_000 + idleAfterMs);
    await vi.advanceTimersByTimeAsync(30_000);
    expect(scheduler.running).toBeNull();
    expect(scheduler.heldFrame?.uuid).toBe("a");
    scheduler.resume();
    await vi.advanceTimersByTimeAsync(0);
    expect(scheduler.running?.uuid).toBe("b");
    await scheduler.stop();
  });

  it("holds nothing for a job that asks for no hold (skipped, removed, nothing shown)", async () => {
    const { scheduler, log } = holding({ a: 1_000, b: 1_000 }, ["a"]);
    scheduler.start(["a", "b"]);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(scheduler.heldFrame).toBeNull();
    expect(log).toEqual(["start a at 0", "dark at 1000", "start b at 1000"]);
    await scheduler.stop();
  });

  it("starts the hold when the job reports its outcome, before the job has finished recording it", async () => {
    let recorded!: () => void;
    const scheduler = new FcfsScheduler({
      minShowMs,
      idleAfterMs,
      runJob: async (_uuid, _signal, finished) => {
        await new Promise((resolve) => setTimeout(resolve, 1_000));
        finished({ holdLastFrame: true });
        // Still writing its record: the queue already shows the held frame, not a running job.
        await new Promise<void>((resolve) => (recorded = resolve));
        return { holdLastFrame: false };
      },
    });
    scheduler.start(["a"]);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(scheduler.running).toBeNull();
    expect(scheduler.heldFrame?.uuid).toBe("a");
    recorded();
    await vi.advanceTimersByTimeAsync(0);
    // The first report counts; the resolved value does not undo it.
    expect(scheduler.heldFrame?.uuid).toBe("a");
    await scheduler.stop();
  });

  it("lets the operator's skip end a hold, and stop ends one at once", async () => {
    const { scheduler } = holding({ a: 1_000 });
    scheduler.start(["a"]);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(scheduler.abortRunning("skipped", "other")).toBe(false);
    expect(scheduler.abortRunning("skipped")).toBe(true);
    await vi.advanceTimersByTimeAsync(0);
    expect(scheduler.heldFrame).toBeNull();
    expect(scheduler.idleShowRunning).toBe(true);

    const second = holding({ b: 1_000 });
    second.scheduler.start(["b"]);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(second.scheduler.heldFrame?.uuid).toBe("b");
    await second.scheduler.stop();
    expect(second.scheduler.heldFrame).toBeNull();
    await scheduler.stop();
  });
});

describe("ETA with a hold", () => {
  it("starts counting from the hold's end while a last frame is held, and from now when the hold is over", () => {
    const input = { nowMs: 100_000, slotMs, runningStartedAtMs: null, holdMinUntilMs: 110_000 };
    expect(etaMs(input, 0)).toBe(10_000);
    expect(etaMs(input, 1)).toBe(10_000 + slotMs);
    expect(etaMs({ ...input, holdMinUntilMs: 90_000 }, 0)).toBe(0);
    // A running program's slot already covers its own minimum show.
    expect(etaMs({ ...input, runningStartedAtMs: 95_000 }, 0)).toBe(slotMs - 5_000);
  });
});

describe("the prepared next program", () => {
  const minShowMs = 15_000;
  beforeEach(() => vi.setSystemTime(0));

  /** Jobs that hold their last frame; prepareJob calls and the tree's darkening are logged. */
  function preparing(durations: Record<string, number>, prepareWaitMs = 2_000) {
    const log: string[] = [];
    const prepared: (string | null)[] = [];
    const readiness = new Map<string, () => void>();
    const scheduler = new FcfsScheduler({
      minShowMs,
      idleAfterMs: 60_000,
      prepareWaitMs,
      afterTurn: async () => void log.push(`dark at ${Date.now()}`),
      handOver: () => log.push(`hand over at ${Date.now()}`),
      prepareJob: (uuid) => {
        prepared.push(uuid);
        if (uuid === null) return undefined;
        return new Promise<void>((resolve) => readiness.set(uuid, resolve));
      },
      runJob: (uuid, signal) =>
        new Promise((resolve) => {
          log.push(`start ${uuid} at ${Date.now()}`);
          const timer = setTimeout(() => resolve({ holdLastFrame: true }), durations[uuid] ?? slotMs);
          signal.addEventListener("abort", () => {
            clearTimeout(timer);
            resolve({ holdLastFrame: false });
          });
        }),
      runIdle: (signal) =>
        new Promise<void>((resolve) => {
          log.push(`idle at ${Date.now()}`);
          signal.addEventListener("abort", () => {
            log.push(`idle yields at ${Date.now()}`);
            resolve();
          });
        }),
    });
    return { scheduler, log, prepared, ready: (uuid: string) => readiness.get(uuid)?.() };
  }

  it("prepares the queue's head while a program runs and holds, and names the next head as each starts", async () => {
    const { scheduler, prepared } = preparing({ a: 1_000, b: 1_000 });
    scheduler.start(["a", "b", "c"]);
    await vi.advanceTimersByTimeAsync(0);
    expect(scheduler.running?.uuid).toBe("a");
    expect(prepared.at(-1)).toBe("b");
    // a holds its last frame until 15 s; b stays prepared meanwhile.
    await vi.advanceTimersByTimeAsync(5_000);
    expect(scheduler.heldFrame?.uuid).toBe("a");
    expect(prepared.at(-1)).toBe("b");
    await vi.advanceTimersByTimeAsync(10_000);
    expect(scheduler.running?.uuid).toBe("b");
    expect(prepared.at(-1)).toBe("c");
    await vi.advanceTimersByTimeAsync(15_000);
    expect(scheduler.running?.uuid).toBe("c");
    expect(prepared.at(-1)).toBeNull();
    await scheduler.stop();
  });

  it("drops the prepared run when the head is cancelled, the queue paused or the scheduler stopped", async () => {
    const { scheduler, prepared } = preparing({ a: 1_000 });
    scheduler.start(["a", "b", "c"]);
    await vi.advanceTimersByTimeAsync(0);
    expect(prepared.at(-1)).toBe("b");
    scheduler.dequeue("b");
    expect(prepared.at(-1)).toBe("c");
    scheduler.pause();
    expect(prepared.at(-1)).toBeNull();
    scheduler.resume();
    expect(prepared.at(-1)).toBe("c");
    await scheduler.stop();
    expect(prepared.at(-1)).toBeNull();
  });

  it("passes a held last frame straight to the next program; the tree goes dark only when nobody follows or on a skip", async () => {
    const { scheduler, log } = preparing({ a: 1_000, b: 1_000, c: 1_000 });
    scheduler.start(["a", "b"]);
    await vi.advanceTimersByTimeAsync(minShowMs);
    expect(log).toEqual(["start a at 0", `hand over at ${minShowMs}`, `start b at ${minShowMs}`]);
    // b holds with c waiting: the operator's skip still ends its turn dark.
    scheduler.enqueue("c");
    await vi.advanceTimersByTimeAsync(1_000);
    expect(scheduler.heldFrame?.uuid).toBe("b");
    expect(scheduler.abortRunning("skipped")).toBe(true);
    await vi.advanceTimersByTimeAsync(0);
    expect(log.slice(3)).toEqual([`dark at ${minShowMs + 1_000}`, `start c at ${minShowMs + 1_000}`]);
    await scheduler.stop();
  });

  it("lets the idle show keep the tree until an upload is prepared", async () => {
    const { scheduler, log, ready } = preparing({ a: 1_000 });
    scheduler.start();
    await vi.advanceTimersByTimeAsync(1_000);
    scheduler.enqueue("a");
    await vi.advanceTimersByTimeAsync(300);
    expect(scheduler.idleShowRunning).toBe(true);
    expect(scheduler.running).toBeNull();
    ready("a");
    await vi.advanceTimersByTimeAsync(0);
    expect(log).toEqual(["idle at 0", "idle yields at 1300", "start a at 1300"]);
    await scheduler.stop();
  });

  it("ends the idle show after prepareWaitMs when the upload never gets ready, and not at all when it is cancelled first", async () => {
    const { scheduler, log } = preparing({ a: 1_000 }, 2_000);
    scheduler.start();
    await vi.advanceTimersByTimeAsync(0);
    scheduler.enqueue("a");
    scheduler.dequeue("a");
    await vi.advanceTimersByTimeAsync(5_000);
    expect(scheduler.idleShowRunning).toBe(true);
    scheduler.enqueue("b");
    await vi.advanceTimersByTimeAsync(1_999);
    expect(scheduler.idleShowRunning).toBe(true);
    await vi.advanceTimersByTimeAsync(1);
    expect(scheduler.running?.uuid).toBe("b");
    expect(log).toEqual(["idle at 0", "idle yields at 7000", "start b at 7000"]);
    await scheduler.stop();
  });
});
