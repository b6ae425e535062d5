/**
 * The checker started ahead (serve keeps one waiting): each serves exactly one
 * check in the real jail and is replaced, verdicts are the same as a cold
 * start's, and one killed while it waited is replaced without the visitor
 * seeing it. Its own file: the spare is module state.
 */
import { afterAll, describe, expect, test } from "vitest";
import { checkProgram } from "./check.ts";
import { keepSpareChecker, spareCheckerPid } from "./check-child.ts";
import { maxUploadBytes } from "./limits.ts";

async function untilSpare(notPid?: number): Promise<number> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const pid = await spareCheckerPid();
    if (pid !== undefined && pid !== notPid) return pid;
    if (Date.now() > deadline) throw new Error("no spare checker came up");
    await Bun.sleep(20);
  }
}

describe("a checker started ahead", () => {
  afterAll(() => keepSpareChecker(false, maxUploadBytes));

  test("serves one check only, with the same verdicts as a fresh start, and is replaced", async () => {
    keepSpareChecker(true, maxUploadBytes);
    const first = await untilSpare();
    expect(await checkProgram("setLEDs([RED] * getLEDCount())\n")).toEqual({ ok: true });
    const second = await untilSpare(first);
    const refused = await checkProgram("import os\n");
    expect(refused.ok).toBe(false);
    if (!refused.ok) expect(refused.error).toMatch(/^line 1:/);
    const third = await untilSpare(second);
    expect(new Set([first, second, third]).size).toBe(3);
  });

  test("one killed while it waited is replaced, and the check still answers", async () => {
    keepSpareChecker(true, maxUploadBytes);
    const waiting = await untilSpare();
    process.kill(waiting, "SIGKILL");
    expect(await checkProgram("x = 1\nprint(x)\n")).toEqual({ ok: true });
    expect(await untilSpare(waiting)).not.toBe(waiting);
  });

  test("stopping it kills the one waiting", async () => {
    keepSpareChecker(true, maxUploadBytes);
    const waiting = await untilSpare();
    keepSpareChecker(false, maxUploadBytes);
    const deadline = Date.now() + 5_000;
    while (Date.now() < deadline && (await Bun.file(`/proc/${waiting}/status`).exists())) await Bun.sleep(20);
    const status = (await Bun.file(`/proc/${waiting}/status`).exists()) ? await Bun.file(`/proc/${waiting}/status`).text() : "";
    expect(status === "" || /^State:\s+Z/m.test(status)).toBe(true);
    expect(await spareCheckerPid()).toBeUndefined();
  });
});
