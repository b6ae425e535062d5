/**
 * runProgram and sandboxReadiness: no sandbox, no run.
 * Hostile programs use skipCheck so the runtime and OS layers are tested on their own.
 */
import { join } from "node:path";
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

  test("an unprivileged app running as PID 1 collects its sandboxes' processes itself: 20 runs in a row all complete", async () => {
    const runner = join(import.meta.dirname, "../../../appliance/src/sandbox/runner.ts");
    // Without collection, each run's exited bwrap pid 1 would stay a zombie of the
    // uid, and runs would start failing at the process limit after about a dozen.
    const script = `const { runProgram } = await import(${JSON.stringify(runner)});\n` +
      `const statuses = [];\n` +
      `for (let i = 0; i < 20; i++) statuses.push((await runProgram({ source: "x = 1\\n", ledCount: 1, timeLimitMs: 10000, skipCheck: true })).status);\n` +
      `console.log(JSON.stringify(statuses));`;
    // A fresh pid namespace (with its own /proc, as a container has) makes the app PID 1, as in a
    // container started without an init.
    const child = Bun.spawn(["unshare", "--user", "--map-user=1000", "--map-group=1000", "--pid", "--fork", "--mount-proc", process.execPath, "-e", script], { stdout: "pipe", stderr: "pipe" });
    const [stdout, stderr, code] = await Promise.all([new Response(child.stdout).text(), new Response(child.stderr).text(), child.exited]);
    expect(code, stderr).toBe(0);
    expect(JSON.parse(stdout.trim().split("\n").at(-1)!)).toEqual(Array(20).fill("completed"));
  }, 60_000);
});
