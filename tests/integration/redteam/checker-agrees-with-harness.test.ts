/**
 * The harness hides some builtins from visitor programs; the upload-time
 * check must refuse reading every one of them, so a student hears about it at
 * upload with a line number instead of a NameError on the tree. The other way
 * round, the check lets a program use those names for its own variables
 * (`input = 3`), which is safe only because the harness hides every builtin
 * the check refuses. The lists are written twice (harness.py,
 * upload-check.py), so a machine compares them.
 */
import { readFileSync } from "node:fs";
import { describe, expect, test } from "vitest";
import { checkProgram } from "../../../appliance/src/checker/check.ts";

const harness = readFileSync(new URL("../../../appliance/src/sandbox/harness.py", import.meta.url), "utf8");
const checker = readFileSync(new URL("../../../appliance/src/checker/upload-check.py", import.meta.url), "utf8");
const hiddenBlock = /^HIDDEN_BUILTINS = \(([\s\S]*?)\)/m.exec(harness)?.[1] ?? "";
const hidden = [...hiddenBlock.matchAll(/"([A-Za-z_]+)"/g)].map((match) => match[1]!);
const forbiddenBlock = /^FORBIDDEN_NAMES = \{([\s\S]*?)^\}/m.exec(checker)?.[1] ?? "";
const forbidden = [...forbiddenBlock.matchAll(/^\s+"([A-Za-z_]+)":/gm)].map((match) => match[1]!);

describe("the check refuses every builtin the harness hides", () => {
  test("the harness's list was found", () => {
    expect(hidden.length).toBeGreaterThan(10);
    expect(hidden).toContain("open");
  });

  test.concurrent.each(hidden)("%s is rejected at upload, naming its line", async (name) => {
    const verdict = await checkProgram(`x = 1\nprint(${name})\n`);
    expect(verdict).toMatchObject({ ok: false, line: 2 });
  });
});

describe("the harness hides every builtin the check refuses by name", () => {
  test("the checker's list was found", () => {
    expect(forbidden.length).toBeGreaterThan(10);
    expect(forbidden).toContain("eval");
  });

  test.each(forbidden)("%s is hidden at run time", (name) => {
    expect(hidden).toContain(name);
  });

  test.concurrent.each(forbidden)("%s may still name the program's own variable", async (name) => {
    expect(await checkProgram(`${name} = 1\nprint(${name})\n`)).toEqual({ ok: true });
  });
});
