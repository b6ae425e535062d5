/**
 * The argv is the security model (bubblewrap only does what it is told), so
 * its shape is pinned here; the real-process tests prove it works.
 */
import { describe, expect, test } from "vitest";
import { bwrapArgs, jailCommand, nestedUserNamespaceGuard, procSysReadOnlyIn, runtimeMounts } from "./command.ts";
import { defaultPolicy, seccompFd } from "./policy.ts";

const harness = "print('harness')";

describe("jailCommand", () => {
  test("as root: the sandbox uid, no groups, tied to the app, then bwrap, then isolated python", () => {
    const argv = jailCommand(defaultPolicy, harness, { uid: 0, procSysReadOnly: false });
    const bwrap = argv.indexOf(defaultPolicy.bwrapPath);
    expect(argv.slice(0, bwrap)).toEqual([
      defaultPolicy.setprivPath, `--reuid=${defaultPolicy.sandboxUid}`, `--regid=${defaultPolicy.sandboxGid}`, "--clear-groups", "--pdeathsig=KILL", "--",
    ]);
    expect(argv.slice(-9)).toEqual([defaultPolicy.pythonPath, "-I", "-S", "-B", "-X", "utf8", "-c", harness, "run"]);
  });

  test("unprivileged: bwrap directly, keeping its own uid", () => {
    const argv = jailCommand(defaultPolicy, harness, { uid: 1000, procSysReadOnly: false });
    expect(argv[0]).toBe(defaultPolicy.bwrapPath);
    expect(argv).not.toContain(defaultPolicy.setprivPath);
  });
});

describe("bwrapArgs", () => {
  const args = bwrapArgs(defaultPolicy, { uid: 0, procSysReadOnly: false });

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

describe("where /proc/sys is read-only (every Docker container)", () => {
  const dockerMountinfo = [
    "681 600 0:64 / / ro,relatime master:9 - overlay overlay rw,lowerdir=/a",
    "682 681 0:67 / /proc rw,nosuid,nodev,noexec,relatime - proc proc rw",
    "690 682 0:67 /sys /proc/sys ro,nosuid,nodev,noexec,relatime - proc proc rw",
  ].join("\n");
  const hostMountinfo = "22 1 254:0 / / rw,relatime - ext4 /dev/vda rw\n23 22 0:21 / /proc rw,nosuid,nodev,noexec,relatime shared:12 - proc proc rw\n";

  test("is detected from mountinfo", () => {
    expect(procSysReadOnlyIn(dockerMountinfo)).toBe(true);
    expect(procSysReadOnlyIn(hostMountinfo)).toBe(false);
  });

  test("bwrap is not asked to write max_user_namespaces, and the jail still gets its own user namespace", () => {
    const args = bwrapArgs(defaultPolicy, { uid: 10001, procSysReadOnly: true });
    expect(args).not.toContain("--disable-userns");
    expect(args).toContain("--unshare-user");
    expect(nestedUserNamespaceGuard({ uid: 10001, procSysReadOnly: true })).toMatch(/^seccomp only/);
    expect(nestedUserNamespaceGuard({ uid: 10001, procSysReadOnly: false })).toMatch(/--disable-userns and seccomp/);
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
