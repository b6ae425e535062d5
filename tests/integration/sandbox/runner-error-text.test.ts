/**
 * The error a visitor reads, from a real jail: the whole exception (type and
 * message, every line up to a limit), never only the message's last line.
 */
import { describe, expect, test } from "vitest";
import { runProgram } from "../../../appliance/src/sandbox/runner.ts";
import { testPolicy } from "./helpers.ts";

const run = (source: string) => runProgram({ source, ledCount: 5, timeLimitMs: 10_000, skipCheck: true, policy: testPolicy() });

describe("the error shown for a failed program", () => {
  test("a message of two lines keeps its type and both lines", async () => {
    const result = await run('x = 1\nraise ValueError("the first line\\nthe second line")\n');
    expect(result).toMatchObject({ status: "failed", error: "line 2: ValueError: the first line\nthe second line" });
  });

  test("the visitor's own exception class is named", async () => {
    const result = await run('class TreeError(Exception):\n    pass\nraise TreeError("no\\nstar")\n');
    expect(result.error).toBe("line 3: TreeError: no\nstar");
  });

  test("a very long message is cut to a few lines and says where the rest is", async () => {
    const result = await run('raise RuntimeError("\\n".join(f"row {i}" for i in range(50)))\n');
    const lines = result.error!.split("\n");
    expect(lines[0]).toBe("line 1: RuntimeError: row 0");
    expect(lines).toHaveLength(8);
    expect(lines.at(-1)).toBe("... (43 more lines in the error output)");
    expect(result.stderr).toContain("row 49");
  });

  test("a syntax error shows its type and message without the source lines", async () => {
    const result = await run("x = 1\nif x\n    pass\n");
    expect(result.error).toBe("line 2: SyntaxError: expected ':'");
  });
});
