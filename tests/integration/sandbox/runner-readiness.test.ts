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

  test("an unprivileged app running as PID 1 (no init to reap the sandbox's processes) refuses to run code", async () => {
    const runner = join(import.meta.dirname, "../../../appliance/src/sandbox/runner.ts");
    const script = `const { runProgram } = await import(${JSON.stringify(runner)});\n` +
      `console.log(JSON.stringify(await runProgram({ source: "x = 1\\n", ledCount: 1, timeLimitMs: 5000, skipCheck: true })));`;
    // A fresh pid namespace makes the app PID 1, as in a container started without an init
    // (as an unprivileged user there: as root, the jail reaps its own processes).
    const child = Bun.spawn(["unshare", "--user", "--map-user=1000", "--map-group=1000", "--pid", "--fork", process.execPath, "-e", script], { stdout: "pipe", stderr: "pipe" });
    const [stdout, code] = await Promise.all([new Response(child.stdout).text(), child.exited]);
    expect(code).toBe(0);
    const result = JSON.parse(stdout.trim().split("\n").at(-1)!) as { status: string; error: string };
    expect(result.status).toBe("failed");
    expect(result.error).toBe(`${sandboxUnavailable}: tree-app is running as PID 1, so nothing reaps the sandbox's exited processes: run it under an init (docker run --init, or init: true in compose)`);
  });
});
