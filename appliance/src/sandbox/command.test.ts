/**
 * The argv is the security model (bubblewrap only does what it is told), so
 * its shape is pinned here; the real-process tests prove it works.
 */
import { describe, expect, test } from "vitest";
import { bwrapArgs, jailCommand, runtimeMounts } from "./command.ts";
import { defaultPolicy, seccompFd } from "./policy.ts";

const harness = "print('harness')";

describe("jailCommand", () => {
  test("as root: rlimits, then the switch to the sandbox uid, then bwrap, then isolated python", () => {
    const argv = jailCommand(defaultPolicy, harness, { uid: 0 });
    const { limits } = defaultPolicy;
    expect(argv.slice(0, 3)).toEqual([defaultPolicy.nicePath, "-n", String(limits.niceLevel)]);
    const prlimit = argv.indexOf(defaultPolicy.prlimitPath);
    const setpriv = argv.indexOf(defaultPolicy.setprivPath);
    const bwrap = argv.indexOf(defaultPolicy.bwrapPath);
    expect(prlimit).toBe(3);
    expect(prlimit).toBeLessThan(setpriv);
    expect(setpriv).toBeLessThan(bwrap);
    expect(argv.slice(prlimit, setpriv)).toEqual([
      defaultPolicy.prlimitPath,
      `--as=${limits.addressSpaceBytes}`,
      `--nofile=${limits.maxOpenFiles}`,
      `--fsize=${limits.maxFileSizeBytes}`,
      "--core=0",
      `--nproc=${limits.maxProcesses}`,
      "--",
    ]);
    expect(argv).toContain(`--reuid=${defaultPolicy.sandboxUid}`);
    expect(argv).toContain(`--regid=${defaultPolicy.sandboxGid}`);
    expect(argv).toContain("--clear-groups");
    expect(argv.slice(-9)).toEqual([defaultPolicy.pythonPath, "-I", "-S", "-B", "-X", "utf8", "-c", harness, "run"]);
  });

  test("unprivileged: keeps its own uid and leaves RLIMIT_NPROC (shared with the session) off", () => {
    const argv = jailCommand(defaultPolicy, harness, { uid: 1000 });
    expect(argv).not.toContain(defaultPolicy.setprivPath);
    expect(argv.some((arg) => arg.startsWith("--nproc"))).toBe(false);
    expect(argv).toContain(defaultPolicy.bwrapPath);
  });
});

describe("bwrapArgs", () => {
  const args = bwrapArgs(defaultPolicy);

  test("unshares everything, forbids nested namespaces and dies with its parent", () => {
    for (const flag of ["--unshare-all", "--unshare-user", "--disable-userns", "--die-with-parent", "--new-session", "--clearenv"]) {
      expect(args).toContain(flag);
    }
    expect(args).not.toContain("--share-net");
    expect(args.join(" ")).toContain(`--seccomp ${seccompFd}`);
    expect(args.join(" ")).toContain(`--size ${defaultPolicy.limits.tmpfsBytes} --tmpfs /tmp`);
  });

  test("mounts nothing from /etc, /home, /run, /sys, /dev or /proc, and nothing writable but /tmp", () => {
    const targets = args.flatMap((arg, i) => (["--ro-bind", "--bind", "--dev-bind", "--symlink"].includes(args[i - 2] ?? "") ? [arg] : []));
    for (const target of targets) expect(target).not.toMatch(/^\/(etc|home|run|sys|dev|proc|root|var)\b/);
    expect(args).not.toContain("--bind");
    expect(args).not.toContain("--dev-bind");
    expect(args).not.toContain("--proc");
    expect(args).not.toContain("--dev");
  });
});

describe("runtimeMounts", () => {
  test("binds directories, recreates symlinks, skips what this system lacks", () => {
    const mounts = runtimeMounts(["/usr", "/nonexistent-dir"]);
    expect(mounts).toEqual(["--ro-bind", "/usr", "/usr"]);
    // On merged-/usr Debian /lib is a symlink to usr/lib.
    const lib = runtimeMounts(["/lib"]);
    expect(lib[0] === "--symlink" ? lib : ["--ro-bind", "/lib", "/lib"]).toEqual(lib);
  });
});
