/**
 * The upload-time checker parses hostile text, so it runs in the same jail as
 * a visitor's program: the sandbox's uid (as root) in a user namespace of its
 * own, no filesystem but the read-only runtime and an empty /tmp, no network,
 * and the stage-1 seccomp filter. A checker that cannot be jailed refuses.
 */
import { describe, expect, test } from "vitest";
import { checkInChild } from "../../../appliance/src/checker/check-child.ts";
import { policyWith } from "../../../appliance/src/sandbox/policy.ts";
import { isRoot, processesOfUid, testPolicy } from "./helpers.ts";

/** A stand-in for upload-check.py that reports where it runs, in the verdict's message. */
const reportWhere = [
  "/usr/bin/python3", "-I", "-S", "-c",
  [
    "import os, json",
    "try:",
    "    import _socket",
    "    _socket.socket(2, 1)",
    "    network = 'network open'",
    "except OSError as error:",
    "    network = 'network refused %d' % error.errno",
    "where = '%d|%s|%s|%s' % (os.getuid(), ' '.join(sorted(os.listdir('/'))), os.listdir('/tmp'), network)",
    "print(json.dumps({'ok': False, 'message': where, 'line': 1, 'column': 1}))",
  ].join("\n"),
];

describe("the upload-time checker is confined like a run", () => {
  test("it runs as the sandbox's uid, sees only the runtime and an empty /tmp, and has no network", async () => {
    const policy = testPolicy();
    const verdict = await checkInChild(new Uint8Array(), { maxInputBytes: 100, policy, innerCommand: reportWhere });
    expect(verdict.ok).toBe(false);
    const [uid, root, tmp, network] = (verdict as { error: string }).error.replace(/^line 1: /, "").split("|");
    // Unprivileged, the jail keeps the app's uid (mapped in a user namespace of its own).
    expect(Number(uid)).toBe(isRoot ? policy.sandboxUid : process.getuid!());
    expect(root!.split(" ").every((entry) => ["bin", "lib", "lib32", "lib64", "libx32", "tmp", "usr"].includes(entry))).toBe(true);
    expect(root).toContain("usr");
    expect(tmp).toBe("[]");
    // 13 = EACCES: stage 1 refuses sockets, as for a run.
    expect(network).toBe("network refused 13");
  });

  test("the real checker still answers inside the jail", async () => {
    const program = new TextEncoder().encode("setLEDs([RED] * getLEDCount())\n");
    expect(await checkInChild(program, { maxInputBytes: 100, policy: testPolicy() })).toEqual({ ok: true });
    const hostile = new TextEncoder().encode("import os\n");
    expect(await checkInChild(hostile, { maxInputBytes: 100, policy: testPolicy() })).toMatchObject({ ok: false, line: 1 });
  });

  // As root the jail's uid is ours alone, so any process of it, zombies included, is a leftover.
  test.runIf(isRoot)("checks killed at random instants of their start-up leave nothing behind", async () => {
    const policy = testPolicy();
    const program = new TextEncoder().encode("x = 1\n");
    for (let round = 0; round < 40; round++) {
      const verdict = await checkInChild(program, { maxInputBytes: 100, policy, timeoutMs: 1 + Math.random() * 30 });
      // Killed or finished in time: either way an answer, and a rejection unless it finished.
      expect(verdict.ok === true || verdict.error.includes("could not check")).toBe(true);
    }
    expect(processesOfUid(policy.sandboxUid)).toEqual([]);
  }, 60_000);

  test("a checker that cannot be jailed rejects the program and says why", async () => {
    const program = new TextEncoder().encode("x = 1\n");
    const verdict = await checkInChild(program, { maxInputBytes: 100, policy: policyWith({ bwrapPath: "/nonexistent/bwrap" }) });
    expect(verdict).toMatchObject({ ok: false });
    expect((verdict as { error: string }).error).toContain("the checker's sandbox is not available: /nonexistent/bwrap is missing or not executable");
  });
});
