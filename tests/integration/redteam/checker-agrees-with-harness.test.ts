/**
 * The harness hides some builtins from visitor programs; the upload-time
 * check must refuse every one of them by name, so a student hears about it at
 * upload with a line number instead of a NameError on the tree. The list is
 * written twice (harness.py, upload-check.py), so a machine compares them.
 */
import { readFileSync } from "node:fs";
import { describe, expect, test } from "vitest";
import { checkProgram } from "../../../appliance/src/checker/check.ts";

const harness = readFileSync(new URL("../../../appliance/src/sandbox/harness.py", import.meta.url), "utf8");
const hiddenBlock = /^HIDDEN_BUILTINS = \(([\s\S]*?)\)/m.exec(harness)?.[1] ?? "";
const hidden = [...hiddenBlock.matchAll(/"([A-Za-z_]+)"/g)].map((match) => match[1]!);

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
