/**
 * THE jail, as one value: which binaries, which uid, which namespaces and
 * mounts, which rlimits, which seccomp rules, which limits the runner watches.
 * bubblewrap is a tool for building sandboxes, so the arguments built here
 * are our security model; command.ts only turns this value into an argv.
 */
import { sandboxLimits, type SandboxLimits } from "./limits.ts";
import { stage1Rules, stage2Rules, type SeccompRuleSet } from "./seccomp-rules.ts";

export interface SandboxPolicy {
  bwrapPath: string;
  /** Debian's interpreter (python3-seccomp is built for it), never whichever python3 is on PATH. */
  pythonPath: string;
  /** util-linux's uid switch, used when the app runs as root: see command.ts. */
  setprivPath: string;
  /**
   * The unprivileged uid/gid the sandbox runs as when the app runs as root.
   * When the app is already unprivileged, the sandbox keeps the app's own uid
   * (it cannot switch) and bwrap maps it into a fresh user namespace.
   */
  sandboxUid: number;
  sandboxGid: number;
  /**
   * Host paths bound read-only at the same place: the Python runtime and the
   * libraries it loads. Merged-/usr symlinks (/lib → usr/lib) are recreated
   * as symlinks; directories are bound. Nothing from /etc, /home, /run, /sys,
   * /dev or /proc: python3 -I -S needs none of them.
   */
  readOnlyPaths: readonly string[];
  /** Imports a visitor may use (the harness serves them from sys.modules). */
  allowedModules: readonly string[];
  limits: SandboxLimits;
  stage1: SeccompRuleSet;
  stage2: SeccompRuleSet;
}

export const defaultPolicy: SandboxPolicy = Object.freeze({
  bwrapPath: "/usr/bin/bwrap",
  pythonPath: "/usr/bin/python3",
  setprivPath: "/usr/bin/setpriv",
  sandboxUid: 65534,
  sandboxGid: 65534,
  readOnlyPaths: ["/usr", "/lib", "/lib64", "/lib32", "/libx32", "/bin"],
  allowedModules: ["math", "random", "time"],
  limits: { ...sandboxLimits },
  stage1: stage1Rules,
  stage2: stage2Rules,
});

/** A policy with some fields replaced (tests, the benchmark, a configured uid). */
export function policyWith(overrides: Partial<Omit<SandboxPolicy, "limits">> & { limits?: Partial<SandboxLimits> }): SandboxPolicy {
  return { ...defaultPolicy, ...overrides, limits: { ...defaultPolicy.limits, ...overrides.limits } };
}

/** The frame fd the harness writes to, and the fd bwrap reads the stage-1 BPF from. */
export const frameFd = 3;
export const seccompFd = 4;
