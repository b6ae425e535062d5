/**
 * The seamless switch with the real sandbox: the scheduler prepares the queue's
 * head while the current program holds its last frame, and the job runner lets
 * that prepared run go at its turn (scheduler/job-runner.ts, runner.ts `go`).
 * The timing itself is a benchmark (bench/switch.bench.ts); this checks what
 * must hold whatever the load: the next program is ready before its turn, runs
 * nothing before it, and one that is cancelled meanwhile leaves no process.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, test } from "vitest";
import type { PackedFrame } from "../../../protocol/frame.ts";
import { FcfsScheduler } from "../../../appliance/src/scheduler/fcfs.ts";
import { createJobRunner, type RunProgram } from "../../../appliance/src/scheduler/job-runner.ts";
import { runProgram } from "../../../appliance/src/sandbox/runner.ts";
import type { RunResult } from "../../../appliance/src/sandbox/run-result.ts";
import type { SandboxPolicy } from "../../../appliance/src/sandbox/policy.ts";
import { SubmissionStore } from "../../../appliance/src/storage/submissions.ts";
import { survivorsOf, testPolicy } from "../sandbox/helpers.ts";

const ledCount = 3;
// Long enough for the next jail to be ready within it on a busy machine.
const minShowMs = 3_000;

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "prepared-switch-"));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const until = async (condition: () => boolean, limitMs = 20_000) => {
  const deadline = Date.now() + limitMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error("timed out waiting");
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
};

/** A job runner and scheduler on the real sandbox; every program gets a uid of its own (by its first line). */
async function tree() {
  const { store } = await SubmissionStore.open(dir);
  const policies = new Map<string, SandboxPolicy>();
  const calls: { name: string; prepared: boolean; readyAtMs?: number; result?: Promise<RunResult> }[] = [];
  const frames: { colour: string; atMs: number }[] = [];
  const run: RunProgram = (options) => {
    const name = options.source.split("\n")[0]!;
    const policy = policies.get(name) ?? testPolicy();
    policies.set(name, policy);
    const call: (typeof calls)[number] = { name, prepared: options.go !== undefined };
    calls.push(call);
    call.result = runProgram({
      ...options,
      policy,
      onReady: () => {
        call.readyAtMs = Date.now();
        options.onReady?.();
      },
    });
    return call.result;
  };
  // Packed R, G, B, L per LED: the first LED says which picture it is.
  const colourOf = (frame: PackedFrame) => (frame[0]! > 0 ? "red" : frame[2]! > 0 ? "blue" : "other");
  const runJob = createJobRunner({
    store,
    runProgram: run,
    ledCount: () => ledCount,
    slotMs: () => 30_000,
    onFrame: (frame) => frames.push({ colour: colourOf(frame), atMs: Date.now() }),
    historyLimit: 100,
    prepareStarts: true,
  });
  const scheduler = new FcfsScheduler({ runJob, prepareJob: runJob.prepare, minShowMs, idleAfterMs: 0 });
  const submit = async (source: string) => (await store.create("tester", source)).uuid;
  return { store, scheduler, calls, frames, policies, submit };
}

describe("the next program, prepared during the hold", () => {
  test("is ready before its turn, shows nothing before it, and is the run that goes", async () => {
    const { store, scheduler, calls, frames, submit } = await tree();
    const a = await submit("# a\nsetLEDs([RED] * getLEDCount())\n");
    const b = await submit("# b\nprint('b ran')\nsetLEDs([BLUE] * getLEDCount())\n");
    scheduler.start([a, b]);
    await until(() => store.get(b)?.status === "completed");
    await scheduler.stop();

    const aStartedMs = Date.parse(store.get(a)!.startedAt!);
    const bStartedMs = Date.parse(store.get(b)!.startedAt!);
    expect(bStartedMs).toBeGreaterThanOrEqual(aStartedMs + minShowMs - 1);
    // One run of b, the prepared one, ready during a's hold (before b's turn began).
    const runsOfB = calls.filter((call) => call.name === "# b");
    expect(runsOfB).toHaveLength(1);
    expect(runsOfB[0]!.prepared).toBe(true);
    expect(runsOfB[0]!.readyAtMs).toBeLessThanOrEqual(bStartedMs);
    // Nothing of b before its turn: its first frame follows a's whole hold.
    const firstBlue = frames.find((frame) => frame.colour === "blue")!;
    expect(firstBlue.atMs).toBeGreaterThanOrEqual(bStartedMs);
    expect(frames.map((frame) => frame.colour)).toEqual(["red", "blue"]);
    expect(store.get(b)!.result).toMatchObject({ status: "completed", stdout: "b ran\n", frames: 1 });
  }, 60_000);

  test("refused by the check while prepared, ends at its turn exactly as a cold start would", async () => {
    const { store, scheduler, calls, submit } = await tree();
    const refused = "# b\nimport os\nsetLEDs([BLUE] * getLEDCount())\n";
    const a = await submit("# a\nsetLEDs([RED] * getLEDCount())\n");
    const b = await submit(refused);
    scheduler.start([a, b]);
    await until(() => store.get(b)?.status === "failed");
    await scheduler.stop();
    expect(calls.filter((call) => call.name === "# b").map((call) => call.prepared)).toEqual([true]);
    // Recorded at its turn, not when it was prepared.
    expect(Date.parse(store.get(b)!.startedAt!)).toBeGreaterThanOrEqual(Date.parse(store.get(a)!.startedAt!) + minShowMs - 1);
    const cold = await runProgram({ source: refused, ledCount, timeLimitMs: 30_000, policy: testPolicy() });
    expect(cold.status).toBe("rejected");
    expect(store.get(b)).toMatchObject({ status: "failed", reason: "error", result: cold });
  }, 60_000);

  test("is killed, leaving no process, when its submission is cancelled before its turn", async () => {
    const { store, scheduler, calls, frames, policies, submit } = await tree();
    const a = await submit("# a\nwhile True:\n    setLEDs([RED] * getLEDCount())\n    wait(0.2)\n");
    const b = await submit("# b\nsetLEDs([BLUE] * getLEDCount())\n");
    const c = await submit("# c\nsetLEDs([BLUE] * getLEDCount())\n");
    scheduler.start([a, b, c]);
    await until(() => calls.find((call) => call.name === "# b")?.readyAtMs !== undefined);
    // What the submissions service does on a cancel: out of the queue, then recorded.
    expect(scheduler.dequeue(b)).toBe(true);
    await store.update(b, { status: "cancelled", reason: "cancelled" });
    const runOfB = calls.find((call) => call.name === "# b")!;
    expect(await runOfB.result).toMatchObject({ status: "failed", error: "stopped before it started (cancelled)", frames: 0 });
    expect(await survivorsOf(policies.get("# b")!.sandboxUid)).toEqual([]);
    // The new head is prepared instead; a is still on the tree.
    await until(() => calls.find((call) => call.name === "# c")?.readyAtMs !== undefined);
    expect(scheduler.running?.uuid).toBe(a);
    expect(scheduler.abortRunning("skipped")).toBe(true);
    await until(() => store.get(c)?.status === "completed");
    await scheduler.stop();
    expect(calls.filter((call) => call.name === "# b")).toHaveLength(1);
    expect(frames.filter((frame) => frame.colour === "blue")).toHaveLength(1);
  }, 60_000);
});
