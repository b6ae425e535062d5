import { describe, expect, it } from "vitest";
import type { RunResult } from "../sandbox/run-result.ts";
import { interruptedError, reasonOf, reasonView, skippedError, statusOf, finishReasons, errorLine } from "./finish-reason.ts";

const result = (patch: Partial<RunResult>): RunResult => ({ status: "completed", frames: 1, dropped: 0, rejected: 0, durationMs: 1200, stdout: "", stderr: "", ...patch });

describe("finish reasons", () => {
  it("puts every reason under one of the seed's statuses or cancelled", () => {
    expect(finishReasons.map((reason) => [reason, statusOf(reason)])).toEqual([
      ["ran_to_end", "completed"],
      ["full_slot", "completed"],
      ["error", "failed"],
      ["fault", "failed"],
      ["interrupted", "failed"],
      ["skipped", "cancelled"],
      ["removed", "cancelled"],
      ["cancelled", "cancelled"],
    ]);
  });

  it("derives the reason of a record from before reasons were kept", () => {
    expect(reasonOf({ status: "completed", result: result({}) })).toBe("ran_to_end");
    expect(reasonOf({ status: "completed", result: result({ status: "timeout" }) })).toBe("full_slot");
    expect(reasonOf({ status: "failed", result: result({ status: "failed", error: skippedError }) })).toBe("skipped");
    expect(reasonOf({ status: "failed", result: result({ status: "failed", error: interruptedError }) })).toBe("interrupted");
    expect(reasonOf({ status: "failed", result: result({ status: "failed", error: "line 2: NameError: x" }) })).toBe("error");
    expect(reasonOf({ status: "cancelled" })).toBe("cancelled");
    expect(reasonOf({ status: "pending" })).toBeNull();
    expect(reasonOf({ status: "running" })).toBeNull();
    // A stored reason wins.
    expect(reasonOf({ status: "cancelled", reason: "removed" })).toBe("removed");
  });

  it("says it in a sentence, a full slot as a success and an error with its line", () => {
    expect(reasonView({ status: "completed", result: result({ status: "timeout", durationMs: 45_020 }) }, true)).toEqual({ code: "full_slot", text: "Ran its full 45 s turn." });
    expect(reasonView({ status: "failed", result: result({ status: "failed", error: "line 12: ZeroDivisionError: division by zero" }) }, true)).toEqual({
      code: "error",
      text: "Stopped by an error on line 12.",
      line: 12,
    });
    expect(reasonView({ status: "failed", result: result({ status: "failed", error: "stopped: printed more than 1024 KiB; print less" }) }, true)).toEqual({ code: "error", text: "Stopped by an error." });
    expect(reasonView({ status: "cancelled", reason: "skipped" }, false)!.text).toBe("Skipped by the operator.");
    expect(reasonView({ status: "cancelled", reason: "cancelled" }, true)!.text).toBe("Cancelled by you.");
    expect(reasonView({ status: "cancelled", reason: "cancelled" }, false)!.text).toBe("Cancelled by its owner.");
    expect(reasonView({ status: "running" }, true)).toBeNull();
    expect(errorLine("line 0: x")).toBeUndefined();
    expect(errorLine("see line 3: x")).toBeUndefined();
  });
});
