/**
 * Completion offers only what the tree has: a program naming every entry runs in the real sandbox
 * (upload check included) without an error; and the source offers the right list where the cursor is.
 */
import { CompletionContext } from "@codemirror/autocomplete";
import { EditorState } from "@codemirror/state";
import { describe, expect, it } from "vitest";
import { checkProgram } from "../../../appliance/src/checker/check.ts";
import { runProgram } from "../../../appliance/src/sandbox/runner.ts";
import { globalEntries, moduleEntries, treeCompletions } from "./completions.ts";

function labelsAt(doc: string, explicit = false): string[] | null {
  const state = EditorState.create({ doc });
  const result = treeCompletions(new CompletionContext(state, doc.length, explicit));
  if (result === null) return null;
  const typed = doc.slice(result.from);
  return result.options.map((option) => option.label).filter((label) => label.startsWith(typed));
}

describe("completion of the tree's names", () => {
  it("names only things a program on the tree really has", async () => {
    const names = [
      ...globalEntries.map((entry) => entry.label),
      ...Object.entries(moduleEntries).flatMap(([module, entries]) => entries.map((entry) => `${module}.${entry.label}`)),
    ];
    const program = `import math\nimport random\nimport time\nfor thing in [${names.join(", ")}]:\n    pass\nsetLEDs([OFF] * getLEDCount())\n`;
    expect(await checkProgram(program)).toEqual({ ok: true });
    const result = await runProgram({ source: program, ledCount: 20, timeLimitMs: 3000 });
    expect(result.status, `${result.error}\n${result.stderr}`).toBe("completed");
    expect(result.stderr).toBe("");
  }, 20_000);

  it("gives every entry a one-line doc", () => {
    for (const entry of [...globalEntries, ...Object.values(moduleEntries).flat()]) {
      expect(entry.detail, entry.label).toMatch(/^[^\n]{8,90}$/);
    }
  });

  it("offers module members after the module's dot, tree names elsewhere, nothing after a number or another dot", () => {
    expect(labelsAt("x = math.s")).toEqual(["sin", "sqrt"]);
    expect(labelsAt("random.ch")).toEqual(["choice"]);
    expect(labelsAt("time.")).toEqual(moduleEntries.time.map((entry) => entry.label));
    expect(labelsAt("setL")).toEqual(["setLEDs"]);
    expect(labelsAt("states = [WARM")).toEqual(["WARM_WHITE"]);
    expect(labelsAt("x = 12")).toBeNull();
    expect(labelsAt("ball.po")).toBeNull();
    expect(labelsAt("x = ")).toBeNull();
    expect(labelsAt("x = ", true)?.length).toBe(globalEntries.length);
    // A word already complete closes the list, so Enter makes a new line.
    expect(labelsAt("import time")).toBeNull();
    expect(labelsAt("math.pi")).toBeNull();
    expect(labelsAt("x = random.random")).toBeNull();
    expect(labelsAt("max")).toBeNull();
    expect(labelsAt("RED")).toBeNull();
  });
});
