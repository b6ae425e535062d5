/**
 * Can this machine run visitors' code safely? The server asks once at start
 * (and refuses uploads, saying why, when the answer is no); runProgram asks the
 * cheap part before every run. Never "run it anyway": no sandbox, no run.
 */
import { accessSync, constants } from "node:fs";
import { currentHost, type Host } from "./command.ts";
import { defaultPolicy, type SandboxPolicy } from "./policy.ts";
import { becomeSubreaper } from "./subreaper.ts";

export type SandboxReadiness = { ok: true } | { ok: false; reason: string };

const purposes: [keyof SandboxPolicy, string, "always" | "as root"][] = [
  ["bwrapPath", "bubblewrap (Debian package bubblewrap)", "always"],
  ["pythonPath", "Python 3 (Debian package python3-minimal)", "always"],
  ["setprivPath", "setpriv (Debian package util-linux)", "as root"],
];

/** The first missing piece the jail needs, described for an operator; undefined when all are there. */
export function missingPrerequisite(policy: SandboxPolicy, host: Host = currentHost()): string | undefined {
  if (process.platform !== "linux") return `the sandbox needs Linux, this is ${process.platform}`;
  // bwrap's pid 1 outlives its monitor by a moment, and a kill at an unlucky
  // instant orphans it mid-build: the app adopts and collects such processes
  // (subreaper.ts), else they would run on under the host's init or, if the app
  // itself is PID 1 without that module, pile up as zombies until runs fail.
  const reaper = becomeSubreaper();
  if (reaper !== undefined && process.pid !== 1) return reaper;
  for (const [key, purpose, when] of purposes) {
    if (when === "as root" && host.uid !== 0) continue;
    const path = policy[key] as string;
    try {
      accessSync(path, constants.X_OK);
    } catch {
      return `${path} is missing or not executable: install ${purpose}`;
    }
  }
  return undefined;
}

const cache = new WeakMap<SandboxPolicy, Promise<SandboxReadiness>>();

/**
 * Runs a tiny program through the real jail (user namespaces, both seccomp
 * stages, the uid switch) and reports whether it worked, with the reason if not.
 * Cached per policy: the answer does not change while the process lives.
 */
export function sandboxReadiness(policy: SandboxPolicy = defaultPolicy): Promise<SandboxReadiness> {
  let answer = cache.get(policy);
  if (answer === undefined) {
    answer = probe(policy);
    cache.set(policy, answer);
  }
  return answer;
}

async function probe(policy: SandboxPolicy): Promise<SandboxReadiness> {
  const missing = missingPrerequisite(policy);
  if (missing !== undefined) return { ok: false, reason: missing };
  // Imported here: runner.ts imports this module too.
  const { runProgram } = await import("./runner.ts");
  const result = await runProgram({
    source: "setLEDs([OFF] * getLEDCount())\n",
    ledCount: 1,
    timeLimitMs: policy.limits.readinessTimeoutMs,
    skipCheck: true,
    policy,
  });
  if (result.status === "completed" && result.frames === 1) return { ok: true };
  const why = result.error ?? `the test program ended as "${result.status}" with ${result.frames} frames`;
  const hint = /namespace|uid map|setting up/i.test(why)
    ? " (user namespaces are needed: on Debian/Raspberry Pi OS check sysctl kernel.unprivileged_userns_clone=1; in Docker see the README)"
    : "";
  return { ok: false, reason: `a test run in the sandbox failed: ${why}${hint}` };
}
