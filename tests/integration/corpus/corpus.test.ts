/**
 * Ordinary visitor programs (programs/*.py: classes with data-model methods,
 * generators, match, walrus, decorators, f-string formats, coordinate effects
 * in the style of the coordinate-tree community, ports of classic strip
 * effects) must pass the upload-time check AND run in the real sandbox: a
 * program the check lets through that then fails on the tree is a false
 * promise. Each runs briefly through runProgram (check included) and must
 * show frames without an error, ending by itself or at the short time limit.
 */
import { readdirSync, readFileSync } from "node:fs";
import { describe, expect, test } from "vitest";
import { checkProgram } from "../../../appliance/src/checker/check.ts";
import { runProgram } from "../../../appliance/src/sandbox/runner.ts";
import { Slots } from "../redteam/slots.ts";
import { goWhenReady, testPolicy } from "../sandbox/helpers.ts";

const programDir = new URL("./programs/", import.meta.url);
const programs = readdirSync(programDir)
  .filter((name) => name.endsWith(".py"))
  .sort()
  .map((name) => [name, readFileSync(new URL(name, programDir), "utf8")] as const);

/**
 * Long enough for every program to show frames, short enough to keep the suite quick. The clock
 * starts at go, once the program is compiled and waiting (as the appliance's prepared starts do),
 * so a loaded machine's slow sandbox start does not eat the program's time.
 */
const timeLimitMs = 1_500;

const ledCount = 50;
/** Two cores: three sandboxes at a time keep this quick without starving the other suites. */
const slots = new Slots(3);

describe("the ordinary-program corpus", () => {
  test("has at least 40 programs, each saying in its first line what it shows", () => {
    expect(programs.length).toBeGreaterThanOrEqual(40);
    for (const [name, source] of programs) expect(source, name).toMatch(/^# \S/);
  });

  test.concurrent.each(programs)("%s passes the upload-time check", async (_name, source) => {
    expect(await checkProgram(source)).toEqual({ ok: true });
  });

  test.concurrent.each(programs)("%s runs in the sandbox and shows frames without an error", async (name, source) => {
    const result = await slots.with(() => runProgram({ source, ledCount, timeLimitMs, policy: testPolicy(), ...goWhenReady() }));
    const shown = JSON.stringify({ ...result, stdout: result.stdout.slice(-400), stderr: result.stderr.slice(-800) }, null, 1);
    expect(["completed", "timeout"], `${name}:\n${shown}`).toContain(result.status);
    if (result.status === "timeout") expect(result.error, shown).toBe(`stopped at the ${timeLimitMs / 1000} s limit`);
    else expect(result.error, shown).toBeUndefined();
    expect(result.stderr, shown).toBe("");
    expect(result.rejected, shown).toBe(0);
    expect(result.frames, shown).toBeGreaterThan(0);
  });
});
