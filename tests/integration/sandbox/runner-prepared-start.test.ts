/**
 * A prepared start (RunOptions.go): the jail is started, the program checked
 * and compiled under both filters, and then nothing of it runs until go. This is
 * what lets the scheduler switch turns within a frame interval. Real sandbox;
 * each test's processes are counted by a uid of its own.
 */
import { readFileSync } from "node:fs";
import { describe, expect, test } from "vitest";
import { runProgram } from "../../../appliance/src/sandbox/runner.ts";
import type { RunOptions } from "../../../appliance/src/sandbox/run-result.ts";
import { processesOfUid, survivorsOf, testPolicy } from "./helpers.ts";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function prepare(options: Omit<RunOptions, "go" | "onReady" | "ledCount"> & { ledCount?: number }) {
  let go!: () => void;
  const goSignal = new Promise<void>((resolve) => (go = resolve));
  let readyCalls = 0;
  let markReady!: () => void;
  const ready = new Promise<void>((resolve) => (markReady = resolve));
  let frames = 0;
  const policy = options.policy ?? testPolicy();
  const result = runProgram({
    ledCount: 3,
    ...options,
    policy,
    go: goSignal,
    onReady: () => {
      readyCalls += 1;
      markReady();
    },
    onFrame: () => (frames += 1),
  });
  return { go, ready, result, policy, readyCalls: () => readyCalls, frames: () => frames };
}

/** utime + stime (clock ticks) and state of every process of `uid`. */
function cpuOf(uid: number): { ticks: number; states: string[] } {
  let ticks = 0;
  const states: string[] = [];
  for (const pid of processesOfUid(uid)) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      states.push(fields[0]!);
      ticks += Number(fields[11]) + Number(fields[12]);
    } catch {
      // Gone meanwhile.
    }
  }
  return { ticks, states };
}

describe("a prepared start", () => {
  test("runs nothing before go: no frame, no output, no CPU; go runs it", async () => {
    const run = prepare({ source: "print('hello')\nsetLEDs([RED] * getLEDCount())\nwhile True:\n    pass\n", timeLimitMs: 1500 });
    await run.ready;
    const uid = run.policy.sandboxUid;
    const before = cpuOf(uid);
    await sleep(500);
    const after = cpuOf(uid);
    expect(before.states.length).toBeGreaterThan(0);
    // Blocked on its stdin: sleeping, and (a busy loop would burn 50 ticks in 0.5 s) about no CPU.
    expect(after.states.every((state) => state === "S"), after.states.join(",")).toBe(true);
    expect(after.ticks - before.ticks).toBeLessThan(5);
    expect(run.frames()).toBe(0);
    run.go();
    const result = await run.result;
    expect(result.status).toBe("timeout");
    expect(result.stdout).toBe("hello\n");
    expect(result.frames).toBe(1);
    expect(run.readyCalls()).toBe(1);
  }, 30_000);

  test("aborted before go: settles as cancelled and leaves no process", async () => {
    const abort = new AbortController();
    const run = prepare({ source: "setLEDs([RED] * getLEDCount())\n", timeLimitMs: 5000, signal: abort.signal });
    await run.ready;
    expect(processesOfUid(run.policy.sandboxUid).length).toBeGreaterThan(0);
    abort.abort();
    const result = await run.result;
    expect(result.status).toBe("failed");
    expect(result.error).toBe("stopped before it started (cancelled)");
    expect(result.frames).toBe(0);
    expect(result.durationMs).toBe(0);
    expect(await survivorsOf(run.policy.sandboxUid)).toEqual([]);
  }, 30_000);

  test("the time limit counts from go, not from the start of the jail", async () => {
    const run = prepare({ source: "while True:\n    setLEDs([BLUE] * getLEDCount())\n", timeLimitMs: 1000 });
    await run.ready;
    // Longer than the limit: a clock started at the spawn would have stopped it by now.
    await sleep(1500);
    expect(processesOfUid(run.policy.sandboxUid).length).toBeGreaterThan(0);
    const goneAt = performance.now();
    run.go();
    const result = await run.result;
    expect(result.status).toBe("timeout");
    expect(result.frames).toBeGreaterThan(0);
    expect(result.durationMs).toBeGreaterThanOrEqual(1000);
    expect(result.durationMs).toBeLessThanOrEqual(Math.ceil(performance.now() - goneAt));
  }, 30_000);

  test("a program that does not compile fails before go, with its line, and never says ready", async () => {
    const run = prepare({ source: "x = 1\ny = (\n", timeLimitMs: 5000, skipCheck: true });
    const result = await run.result;
    expect(result.status).toBe("failed");
    expect(result.error).toMatch(/^line 2: /);
    expect(run.readyCalls()).toBe(0);
  }, 30_000);

  test("a ready record the program forges is rejected and not counted", async () => {
    // skipCheck: the harness's internals leak on purpose here (random._os is os) to write to the channel.
    const source = "import random\nrandom._os.write(3, b'{\"ready\": true}\\n')\nsetLEDs([RED] * getLEDCount())\n";
    const run = prepare({ source, timeLimitMs: 5000, skipCheck: true });
    await run.ready;
    run.go();
    const result = await run.result;
    expect(result.status).toBe("completed");
    expect(result.rejected).toBe(1);
    expect(result.frames).toBe(1);
    expect(run.readyCalls()).toBe(1);
  }, 30_000);

  test("without go, a program runs at once and no ready record is sent", async () => {
    const result = await runProgram({ source: "setLEDs([RED] * getLEDCount())\n", ledCount: 3, timeLimitMs: 5000, policy: testPolicy() });
    expect(result).toMatchObject({ status: "completed", frames: 1, rejected: 0 });
  }, 30_000);
});
