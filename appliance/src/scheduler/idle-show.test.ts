import { describe, expect, it } from "vitest";
import { checkProgram } from "../checker/check.ts";
import type { RunOptions, RunResult } from "../sandbox/run-result.ts";
import { createIdleShow, idleShowTimeLimitMs, loadIdleShowSource } from "./idle-show.ts";

describe("the idle show", () => {
  it("passes the same upload-time check as a visitor's program", async () => {
    expect(await checkProgram(await loadIdleShowSource())).toEqual({ ok: true });
  });

  it("runs through the given runner with its own time limit, and darkens the strip only when it ended by itself", async () => {
    const calls: RunOptions[] = [];
    let darkened = 0;
    const result: RunResult = { status: "timeout", frames: 1, dropped: 0, rejected: 0, durationMs: 1, stdout: "", stderr: "" };
    const show = createIdleShow({
      source: "x = 1\n",
      runProgram: async (options) => (calls.push(options), result),
      ledCount: () => 7,
      onFrame: () => undefined,
      afterShow: async () => void darkened++,
    });
    await show(new AbortController().signal);
    expect(calls[0]).toMatchObject({ source: "x = 1\n", ledCount: 7, timeLimitMs: idleShowTimeLimitMs });
    expect(darkened).toBe(1);
    const aborted = new AbortController();
    aborted.abort();
    await show(aborted.signal);
    expect(darkened).toBe(1);
  });
});
