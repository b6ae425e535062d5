/**
 * runProgram and sandboxReadiness: no sandbox, no run.
 * Hostile programs use skipCheck so the runtime and OS layers are tested on their own.
 */
import { describe, expect, test } from "vitest";
import { runProgram, sandboxUnavailable } from "../../../appliance/src/sandbox/runner.ts";
import { policyWith } from "../../../appliance/src/sandbox/policy.ts";
import { sandboxReadiness } from "../../../appliance/src/sandbox/readiness.ts";
import { testPolicy } from "./helpers.ts";

describe("no sandbox, no run", () => {
  test("a missing bwrap is refused with the reason", async () => {
    const policy = policyWith({ bwrapPath: "/nonexistent/bwrap" });
    const result = await runProgram({ source: "print(1)\n", ledCount: 5, timeLimitMs: 5000, skipCheck: true, policy });
    expect(result.status).toBe("failed");
    expect(result.error).toBe(`${sandboxUnavailable}: /nonexistent/bwrap is missing or not executable: install bubblewrap (Debian package bubblewrap)`);
    expect(await sandboxReadiness(policy)).toEqual({ ok: false, reason: "/nonexistent/bwrap is missing or not executable: install bubblewrap (Debian package bubblewrap)" });
  });

  test("this machine's sandbox is ready", async () => {
    expect(await sandboxReadiness(testPolicy())).toEqual({ ok: true });
  });
});
