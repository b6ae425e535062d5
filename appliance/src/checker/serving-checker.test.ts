/**
 * Checkers that serve one program after another (tree-app serve turns them on), in the real jail:
 * one checker answers several checks with the same verdicts as a checker started for each, is
 * retired after its quota, is replaced when it dies while waiting or is killed on a timeout, and
 * nothing of them stays once they are turned off. Its own file: the checkers are module state.
 */
import { afterEach, describe, expect, test } from "vitest";
import { defaultPolicy } from "../sandbox/policy.ts";
import { checkProgram } from "./check.ts";
import { checkInChild, keepCheckersServing, servingCheckerPids } from "./check-child.ts";
import { maxUploadBytes } from "./limits.ts";

const encode = (text: string) => new TextEncoder().encode(text);

async function untilServing(notPid?: number): Promise<number> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const pid = servingCheckerPids().find((candidate) => candidate !== notPid);
    if (pid !== undefined) return pid;
    if (Date.now() > deadline) throw new Error("no serving checker came up");
    await Bun.sleep(20);
  }
}

/** The same program checked by a checker started for it alone (an explicit policy bypasses serving). */
const checkedAlone = (source: string) => checkInChild(encode(source), { maxInputBytes: maxUploadBytes, policy: defaultPolicy });

const programs = [
  "setLEDs([RED] * getLEDCount())\n",
  "import os\n",
  "x = (\n",
  "def f(a, a):\n    return a\n",
  "class Ball:\n    def __init__(self):\n        self._speed = 1\nprint(Ball()._speed)\n",
  "print(random._os)\nimport random\n",
  "print('{0.__class__}'.format(1))\n",
  `x = ${"(".repeat(300)}1${")".repeat(300)}\n`,
  "é = 'ünïcode'\nprint(é)\n",
];

describe("serving checkers", () => {
  afterEach(() => keepCheckersServing(false, maxUploadBytes));

  test("one checker answers program after program with the verdicts a fresh checker gives", async () => {
    keepCheckersServing(true, maxUploadBytes);
    const pid = await untilServing();
    for (const source of programs) expect(await checkProgram(source), source).toEqual(await checkedAlone(source));
    expect(servingCheckerPids()).toContain(pid);
  });

  test("a checker is retired after its quota and another takes over", async () => {
    keepCheckersServing(true, maxUploadBytes, 3);
    const first = await untilServing();
    for (let index = 0; index < 3; index++) expect(await checkProgram(`x = ${index}\n`)).toEqual({ ok: true });
    const second = await untilServing(first);
    expect(second).not.toBe(first);
    expect(await checkProgram("x = 4\n")).toEqual({ ok: true });
  });

  test("one killed while it waited is replaced, and the check still answers", async () => {
    keepCheckersServing(true, maxUploadBytes);
    const waiting = await untilServing();
    process.kill(waiting, "SIGKILL");
    expect(await checkProgram("x = 1\nprint(x)\n")).toEqual({ ok: true });
    expect(await untilServing(waiting)).not.toBe(waiting);
  });

  test("a check past its time limit kills its checker and is refused; the next check gets another", async () => {
    keepCheckersServing(true, maxUploadBytes);
    const waiting = await untilServing();
    // ~60 KiB of code takes a checker far longer than 5 ms, however fast the machine.
    const long = "x = [1, 2, 3]\n".repeat(4000);
    const verdict = await checkInChild(encode(long), { maxInputBytes: maxUploadBytes, timeoutMs: 5 });
    expect(verdict).toMatchObject({ ok: false, error: expect.stringMatching(/checking took longer than/) });
    expect(await checkProgram("x = 2\n")).toEqual({ ok: true });
    expect(servingCheckerPids()).not.toContain(waiting);
  });

  test("turning them off ends the ones waiting", async () => {
    keepCheckersServing(true, maxUploadBytes);
    const waiting = await untilServing();
    keepCheckersServing(false, maxUploadBytes);
    const deadline = Date.now() + 5_000;
    const running = async () => {
      const status = Bun.file(`/proc/${waiting}/status`);
      return (await status.exists()) && !/^State:\s+Z/m.test(await status.text());
    };
    while (Date.now() < deadline && (await running())) await Bun.sleep(20);
    expect(await running()).toBe(false);
    expect(servingCheckerPids()).toEqual([]);
  });
});
