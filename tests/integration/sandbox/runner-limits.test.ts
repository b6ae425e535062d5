/**
 * runProgram against the real jail: limits enforced from outside (wall clock, output, memory, abort), and nothing of the sandbox survives.
 * Hostile programs use skipCheck so the runtime and OS layers are tested on their own.
 */
import { describe, expect, test } from "vitest";
import { runProgram } from "../../../appliance/src/sandbox/runner.ts";
import { isRoot, survivorsOf, testPolicy } from "./helpers.ts";

const run = (source: string, extra: Partial<Parameters<typeof runProgram>[0]> = {}) =>
  runProgram({ source, ledCount: 5, timeLimitMs: 10_000, skipCheck: true, policy: testPolicy(), ...extra });

describe("limits enforced from outside", () => {
  test("a busy loop is stopped at the time limit and nothing of the sandbox survives", async () => {
    const policy = testPolicy();
    const result = await runProgram({ source: "while True:\n    pass\n", ledCount: 5, timeLimitMs: 1000, skipCheck: true, policy });
    expect(result).toMatchObject({ status: "timeout", error: "stopped at the 1 s limit" });
    expect(result.durationMs).toBeGreaterThanOrEqual(1000);
    if (isRoot) expect(await survivorsOf(policy.sandboxUid)).toEqual([]);
  });

  test("a sleeper is stopped at the limit too, with what it printed before", async () => {
    const policy = testPolicy();
    const source = "import time\nprint('going to sleep')\ntime.sleep(100)\n";
    const result = await runProgram({ source, ledCount: 5, timeLimitMs: 1000, skipCheck: true, policy });
    expect(result).toMatchObject({ status: "timeout", stdout: "going to sleep\n" });
    if (isRoot) expect(await survivorsOf(policy.sandboxUid)).toEqual([]);
  });

  test("threads cannot be started once the visitor's code runs", async () => {
    const source = "import time\n_thread = time.__loader__.load_module('_thread')\n_thread.start_new_thread(time.sleep, (100,))\n";
    const result = await run(source);
    expect(result).toMatchObject({ status: "failed", error: "line 3: RuntimeError: can't start new thread" });
  });

  test("an output flood is stopped past the hard cap, and only a tail is kept", async () => {
    const policy = testPolicy();
    const result = await run("while True:\n    print('x' * 1000)\n", { policy });
    expect(result.status).toBe("failed");
    expect(result.error).toBe(`stopped: printed more than ${policy.limits.outputHardCapBytes / 1024} KiB; print less`);
    expect(result.stdout.length).toBeLessThanOrEqual(policy.limits.outputTailBytes + 100);
  });

  test("an aborted run stops at once", async () => {
    const controller = new AbortController();
    const pending = run("import time\ntime.sleep(60)\n", { signal: controller.signal });
    setTimeout(() => controller.abort(), 300);
    expect(await pending).toMatchObject({ status: "failed", error: "stopped early: the run was cancelled" });
  });

  test("memory beyond the address-space limit is a MemoryError", async () => {
    const result = await run("x = bytearray(512 * 1024 * 1024)\n");
    expect(result.status).toBe("failed");
    expect(result.error).toContain("MemoryError");
  });
});

