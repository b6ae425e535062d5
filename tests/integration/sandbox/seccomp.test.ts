/**
 * Both seccomp stages compile with the real libseccomp, for this machine and
 * for the Pi's aarch64, and every name the rules use exists on at least one of
 * them (a typo would otherwise be skipped silently as "not on this arch").
 */
import { readFileSync, readlinkSync } from "node:fs";
import { describe, expect, test } from "vitest";
import { compileFilter, stage1FilterFile } from "../../../appliance/src/sandbox/seccomp-filter.ts";
import { defaultPolicy } from "../../../appliance/src/sandbox/policy.ts";
import { stage1Rules, stage2Rules, type SeccompRuleSet } from "../../../appliance/src/sandbox/seccomp-rules.ts";

const { pythonPath, limits } = defaultPolicy;
const names = (rules: SeccompRuleSet) => new Set(rules.rules.flatMap((rule) => rule.syscalls));

/** Syscalls that exist only on older ABIs (x86-64 has them, aarch64 does not), or only on x86. */
const notOnAarch64 = new Set([
  "open", "stat", "lstat", "access", "readlink", "dup2", "time", "poll", "select", "fork", "vfork", "creat",
  "mkdir", "unlink", "rename", "symlink", "link", "chmod", "chown", "lchown", "umount", "stime", "uselib",
  "iopl", "ioperm", "modify_ldt", "arch_prctl", "lookup_dcookie",
]);
/** Not on x86-64 (removed from its table or never there). */
const notOnX86 = new Set(["umount", "stime"]);

describe.each([
  ["stage 1", stage1Rules],
  ["stage 2", stage2Rules],
])("%s", (_, rules) => {
  test.each(["x86_64", "aarch64"])("compiles for %s, skipping only names that arch lacks", async (arch) => {
    const { bpf, skipped } = await compileFilter(pythonPath, rules, limits.filterCompileTimeoutMs, arch);
    expect(bpf.length).toBeGreaterThan(0);
    expect(bpf.length % 8).toBe(0);
    const expectedMissing = arch === "aarch64" ? notOnAarch64 : notOnX86;
    expect(skipped.filter((name) => !expectedMissing.has(name))).toEqual([]);
  });
});

test("stage 2 is stricter: it allows nothing stage 1 kills, and it refuses execve", () => {
  const stage2Allowed = new Set(stage2Rules.rules.filter((rule) => rule.action === "allow").flatMap((rule) => rule.syscalls));
  const stage1Killed = stage1Rules.rules.filter((rule) => rule.action === "kill").flatMap((rule) => rule.syscalls);
  expect(stage1Killed.filter((name) => stage2Allowed.has(name))).toEqual([]);
  expect(stage2Allowed.has("execve")).toBe(false);
  expect(stage2Rules.defaultAction).toBe("kill");
  expect(names(stage2Rules).has("clone")).toBe(true);
});

test("the compiled stage-1 filter leaves no file behind: only a descriptor to a removed file", async () => {
  const { path } = await stage1FilterFile(pythonPath, stage1Rules, limits.filterCompileTimeoutMs);
  expect(path).toMatch(/^\/proc\/self\/fd\/\d+$/);
  expect(readlinkSync(path)).toMatch(/ \(deleted\)$/);
  // Every open is a fresh read offset, so each run's bwrap reads the whole program.
  expect(readFileSync(path).length).toBe(readFileSync(path).length);
  expect(readFileSync(path).length % 8).toBe(0);
});

test("both stages refuse every call that creates a namespace, so the jail holds where bwrap cannot --disable-userns", () => {
  for (const rules of [stage1Rules, stage2Rules]) {
    const actionOf = (name: string) => rules.rules.filter((rule) => rule.syscalls.includes(name));
    for (const name of ["unshare", "setns"]) {
      const matching = actionOf(name);
      expect(matching.every((rule) => rule.action !== "allow")).toBe(true);
      if (matching.length === 0) expect(rules.defaultAction).not.toBe("allow");
    }
    // clone is allowed only for threads; the kernel refuses CLONE_NEWUSER and CLONE_NEWPID with CLONE_THREAD.
    for (const rule of actionOf("clone").filter((rule) => rule.action === "allow")) {
      expect(rule.args).toEqual([{ arg: 0, op: "masked_eq", mask: "CLONE_THREAD", value: "CLONE_THREAD" }]);
    }
    // clone3's flags are out of seccomp's sight: it must never be allowed.
    expect(actionOf("clone3").every((rule) => rule.action !== "allow")).toBe(true);
  }
});
