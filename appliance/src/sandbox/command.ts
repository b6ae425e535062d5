/**
 * Turns the policy into the argv that starts one run:
 *   nice → prlimit → [setpriv, when root] → bwrap → python3 -I -S -B -c harness run
 * Each helper execs the next in place, so the spawned pid is bwrap's: killing
 * it takes the sandbox's pid namespace down with it (--die-with-parent).
 */
import { lstatSync, readlinkSync } from "node:fs";
import type { SandboxPolicy } from "./policy.ts";
import { seccompFd } from "./policy.ts";

/** Who starts the sandbox: root switches to the policy's uid; anyone else keeps their own. */
export interface Host {
  uid: number;
}

export function currentHost(): Host {
  return { uid: process.getuid?.() ?? -1 };
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

function rlimitArgs(policy: SandboxPolicy, host: Host): string[] {
  const { limits } = policy;
  const args = [
    `--as=${limits.addressSpaceBytes}`,
    `--nofile=${limits.maxOpenFiles}`,
    `--fsize=${limits.maxFileSizeBytes}`,
    "--core=0",
  ];
  // RLIMIT_NPROC counts every process of the uid. Only a dedicated uid makes it
  // mean "this sandbox"; an unprivileged app shares its uid with the rest of the
  // session, so there it is left off (stage 1 refuses fork anyway).
  if (host.uid === 0) args.push(`--nproc=${limits.maxProcesses}`);
  return args;
}

export function bwrapArgs(policy: SandboxPolicy): string[] {
  return [
    "--unshare-all",
    "--unshare-user",
    "--disable-userns",
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
  const dropUid =
    host.uid === 0
      ? [
          policy.setprivPath,
          `--reuid=${policy.sandboxUid}`,
          `--regid=${policy.sandboxGid}`,
          "--clear-groups",
          "--no-new-privs",
          "--inh-caps=-all",
          "--bounding-set=-all",
          "--",
        ]
      : [];
  return [
    policy.nicePath, "-n", String(policy.limits.niceLevel),
    policy.prlimitPath, ...rlimitArgs(policy, host), "--",
    ...dropUid,
    policy.bwrapPath, ...bwrapArgs(policy), "--",
    ...pythonArgs(policy, harnessSource),
  ];
}
