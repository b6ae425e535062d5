/**
 * setLEDs reads a frame once before checking it, in a real jail: a state's
 * code that resizes the outer list while it is being read cannot make the
 * harness send a frame of the wrong length (the runner would reject it and
 * stop the program with "sent N invalid frames", which setLEDs promises never
 * to cause).
 */
import { describe, expect, test } from "vitest";
import { unpackFrame } from "../../../protocol/frame.ts";
import { runProgram } from "../../../appliance/src/sandbox/runner.ts";
import { testPolicy } from "./helpers.ts";

const run = async (source: string) => {
  const frames: number[][][] = [];
  const result = await runProgram({ source, ledCount: 5, timeLimitMs: 10_000, skipCheck: true, policy: testPolicy(), onFrame: (frame) => frames.push(unpackFrame(frame)) });
  return { result, frames };
};

const resizer = (change: string) =>
  [
    "states = []",
    "class Resizer(list):",
    "    def __iter__(self):",
    `        ${change}`,
    "        return iter([0, 0, 255, 100])",
    "states.extend([Resizer(), RED, RED, RED, RED])",
    "setLEDs(states)",
    "print(len(states))",
  ].join("\n");

describe("setLEDs checks what it sends", () => {
  test.each([
    ["empties the list", "states.clear()", 0],
    ["grows the list", "states.extend([GREEN] * 10)", 15],
    ["shrinks the list", "del states[3:]", 3],
  ])("a state whose __iter__ %s still gives one whole frame of the list as it was", async (_, change, lengthAfter) => {
    const { result, frames } = await run(resizer(change));
    expect(result).toMatchObject({ status: "completed", rejected: 0, stdout: `${lengthAfter}\n` });
    expect(frames).toEqual([[[0, 0, 255, 100], ...Array(4).fill([255, 0, 0, 100])]]);
  });

  test("a state that swaps a later state for an invalid one changes nothing already read", async () => {
    const { result, frames } = await run(resizer("states[4] = [999, 0, 0, 100]").replace("print(len(states))", "print(states[4])"));
    expect(result).toMatchObject({ status: "completed", rejected: 0, stdout: "[999, 0, 0, 100]\n" });
    expect(frames).toEqual([[[0, 0, 255, 100], ...Array(4).fill([255, 0, 0, 100])]]);
  });
});
