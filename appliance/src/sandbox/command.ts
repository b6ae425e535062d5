/**
 * Turns the policy into the argv that starts one run:
 *   unprivileged: bwrap → python3 -I -S -B -c harness run
 *   as root:      setpriv (to the sandbox uid) → bwrap → python3 …
 * Every link dies with the one before it, down to the app; what a kill at an
 * unlucky instant orphans anyway comes back to the app, which is the
 * subreaper of its runs (subreaper.ts). rlimits and niceness are applied by
 * the harness itself, before the visitor's first line (each helper exec here
 * costs about a millisecond and a half of start-up).
 */
import { lstatSync, readFileSync, readlinkSync } from "node:fs";
import type { SandboxPolicy } from "./policy.ts";
import { seccompFd } from "./policy.ts";

/** What the jail depends on about the machine it starts on. */
export interface Host {
  /** Root switches to the policy's uid; anyone else keeps their own. */
  uid: number;
  /**
   * Docker mounts /proc/sys read-only in every container (and compose v1 cannot
   * lift it), so bwrap's --disable-userns, which writes
   * /proc/sys/user/max_user_namespaces inside the sandbox's user namespace,
   * cannot work there. See bwrapArgs for why the jail stays closed without it.
   */
  procSysReadOnly: boolean;
}

/** True when the innermost mount at /proc/sys is read-only (mountinfo: field 5 = mount point, 6 = options). */
export function procSysReadOnlyIn(mountinfo: string): boolean {
  let readOnly = false;
  for (const line of mountinfo.split("\n")) {
    const fields = line.split(" ");
    if (fields[4] === "/proc/sys") readOnly = (fields[5] ?? "").split(",").includes("ro");
  }
  return readOnly;
}

let procSysReadOnly: boolean | undefined;

export function currentHost(): Host {
  if (procSysReadOnly === undefined) {
    try {
      procSysReadOnly = procSysReadOnlyIn(readFileSync("/proc/self/mountinfo", "utf8"));
    } catch {
      procSysReadOnly = false; // bwrap then fails loudly with --disable-userns, never opens up silently
    }
  }
  return { uid: process.getuid?.() ?? -1, procSysReadOnly };
}

/**
 * How nested user namespaces are kept out of the jail on this host. Both stage-1
 * and stage-2 seccomp filters refuse every call that can create a namespace
 * (unshare, setns, clone without CLONE_THREAD, clone3 → ENOSYS; the kernel
 * refuses CLONE_NEWUSER together with CLONE_THREAD), and the sandbox holds no
 * capabilities for the other namespace types; --disable-userns is a second lock
 * on the same door where the host lets bwrap turn it.
 */
export function nestedUserNamespaceGuard(host: Host): string {
  return host.procSysReadOnly
    ? "seccomp only (/proc/sys is read-only here, so bwrap's --disable-userns is not used)"
    : "bwrap --disable-userns and seccomp";
}

/** bwrap arguments that recreate the read-only runtime: binds for directories, symlinks for merged-/usr links. */
export function runtimeMounts(paths: readonly string[]): string[] {
  const args: string[] = [];
  for (const path of paths) {
    let stat;
    try {
      stat = lstatSync(path);
    } catch {
      continue; // not on this system (e.g. /lib32)
    }
    if (stat.isSymbolicLink()) args.push("--symlink", readlinkSync(path), path);
    else if (stat.isDirectory()) args.push("--ro-bind", path, path);
  }
  return args;
}

export function bwrapArgs(policy: SandboxPolicy, host: Host): string[] {
  return [
    "--unshare-all",
    "--unshare-user",
    ...(host.procSysReadOnly ? [] : ["--disable-userns"]),
    "--die-with-parent",
    "--new-session",
    "--clearenv",
    "--cap-drop", "ALL",
    ...runtimeMounts(policy.readOnlyPaths),
    "--size", String(policy.limits.tmpfsBytes),
    "--tmpfs", "/tmp",
    "--chdir", "/tmp",
    "--seccomp", String(seccompFd),
  ];
}

export function pythonArgs(policy: SandboxPolicy, harnessSource: string): string[] {
  // -I: no environment, no user site; -S: no site-packages; -B: no .pyc writes; utf8 for printing.
  return [policy.pythonPath, "-I", "-S", "-B", "-X", "utf8", "-c", harnessSource, "run"];
}

export function jailCommand(policy: SandboxPolicy, harnessSource: string, host: Host): string[] {
  return jailed(policy, pythonArgs(policy, harnessSource), host);
}

/**
 * `inner` (a python3 command line) inside the jail: the visitor's run, and the
 * upload-time checker, which parses hostile text and so gets the same walls.
 * The stage-1 filter is read from fd `seccompFd`.
 */
export function jailed(policy: SandboxPolicy, inner: string[], host: Host): string[] {
  const sandbox = [policy.bwrapPath, ...bwrapArgs(policy, host), "--", ...inner];
  // Unprivileged, bwrap is our child: its --die-with-parent ties the sandbox to
  // the app, so a crashed app cannot leave a program running past its limit.
  if (host.uid !== 0) return sandbox;
  // As root, setpriv first drops to the unprivileged sandbox uid and gid (all
  // three ids, so no capability survives the exec) and clears the supplementary
  // groups; bwrap then builds the same jail as for an unprivileged app. setpriv
  // arms its parent-death signal after the uid switch (a switch would clear it),
  // and bwrap's monitor keeps it. bwrap's pid 1 outlives the monitor by a
  // moment and is then adopted and collected by the app (subreaper.ts).
  return [
    policy.setprivPath, `--reuid=${policy.sandboxUid}`, `--regid=${policy.sandboxGid}`, "--clear-groups", "--pdeathsig=KILL", "--",
    ...sandbox,
  ];
}
