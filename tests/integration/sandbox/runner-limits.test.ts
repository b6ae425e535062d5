/**
 * runProgram against the real jail: limits enforced from outside (wall clock, output, memory, abort), and nothing of the sandbox survives
 * (lifecycle.test.ts kills runs and the app at random instants).
 * Hostile programs use skipCheck so the runtime and OS layers are tested on their own.
 */
import { readdirSync, readlinkSync } from "node:fs";
import { describe, expect, test } from "vitest";
import { runProgram } from "../../../appliance/src/sandbox/runner.ts";
import { goWhenReady, isRoot, processesOfUid, survivorsOf, testPolicy } from "./helpers.ts";

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

  test("a stopped run's stderr holds the visitor's text only, not the sandbox helpers' complaints", async () => {
    const source = "import random\nrandom._os.write(2, b'mine\\n')\nwhile True:\n    pass\n";
    const result = await run(source, { timeLimitMs: 1000, ...goWhenReady() });
    expect(result).toMatchObject({ status: "timeout", stderr: "mine\n" });
    expect(result.stderr).not.toContain("sigprocmask");
  });

  test("a sleeper is stopped at the limit too, with what it printed before", async () => {
    const policy = testPolicy();
    const source = "import time\nprint('going to sleep')\ntime.sleep(100)\n";
    const result = await runProgram({ source, ledCount: 5, timeLimitMs: 1000, skipCheck: true, policy, ...goWhenReady() });
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

  test("an abort that comes while the program is being checked stops it before it starts", async () => {
    const controller = new AbortController();
    const frames: unknown[] = [];
    // The check runs in a child process, so the abort below lands while runProgram awaits it.
    const pending = run("setLEDs([BLUE] * getLEDCount())\n", { skipCheck: false, signal: controller.signal, onFrame: (frame) => frames.push(frame) });
    controller.abort();
    expect(await pending).toMatchObject({ status: "failed", error: "stopped before it started (cancelled)", frames: 0 });
    expect(frames).toEqual([]);
  });

  test("rlimits and niceness are in force when the visitor's code runs, and cannot be raised", async () => {
    const policy = testPolicy();
    const source = [
      "import random",
      "os = random._os",
      "opened = 0",
      "try:",
      "    while True:",
      "        os.dup(1)",
      "        opened += 1",
      "except OSError as error:",
      "    print(opened < LIMIT, error.errno)",
      "print(os.getpriority(os.PRIO_PROCESS, 0) >= NICE)",
      "try:",
      "    os.setpriority(os.PRIO_PROCESS, 0, 0)",
      "except OSError as error:",
      "    print('renice', error.errno)",
    ].join("\n").replace("LIMIT", String(policy.limits.maxOpenFiles)).replace("NICE", String(policy.limits.niceLevel));
    const result = await run(source, { policy });
    // 24 = EMFILE: the open-files limit; 1 = EPERM: stage 2 refuses setpriority.
    expect(result.stdout).toBe("True 24\nTrue\nrenice 1\n");
  });

  test("memory beyond the address-space limit is a MemoryError", async () => {
    const result = await run("x = bytearray(512 * 1024 * 1024)\n");
    expect(result.status).toBe("failed");
    expect(result.error).toContain("MemoryError");
  });

  test("runs leave no file descriptors behind in the app", async () => {
    // Other test files share this process, so follow our own channel's socket, not the fd count.
    const target = (fd: number) => readlinkSync(`/proc/self/fd/${fd}`);
    const openTargets = () => readdirSync("/proc/self/fd").map((fd) => { try { return target(Number(fd)); } catch { return ""; } });
    for (const source of ["setLEDs([RED] * 5)\n", "while True:\n    pass\n"]) {
      let channel = "";
      const result = await runProgram(
        { source, ledCount: 5, timeLimitMs: 300, skipCheck: true, policy: testPolicy() },
        { onSpawned: ({ frameChannelFd }) => (channel = target(frameChannelFd)) },
      );
      expect(["completed", "timeout"]).toContain(result.status);
      expect(channel).toMatch(/^(socket|pipe):\[\d+\]$/);
      // Bun's stream reader lets go of its own reference asynchronously; wait (bounded) for that.
      const until = Date.now() + 2000;
      while (openTargets().includes(channel) && Date.now() < until) await new Promise((resolve) => setTimeout(resolve, 20));
      expect(openTargets()).not.toContain(channel);
    }
  });
});

describe("nothing is left for the host to clean up", () => {
  // As root the sandbox uid is ours alone, so any process of it, zombies included, is a leftover.
  test.runIf(isRoot)("finished runs leave no process of the sandbox uid, not even a zombie", async () => {
    const policy = testPolicy();
    for (const source of ["x = 1\n", "while True:\n    pass\n", "import random\nrandom._os.kill(1, 9)\n"]) {
      await run(source, { policy, timeLimitMs: 300 });
      expect(processesOfUid(policy.sandboxUid)).toEqual([]);
    }
  });
});
