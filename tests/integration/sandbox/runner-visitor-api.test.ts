/**
 * runProgram against the real jail: the visitor API, errors and tracebacks as a visitor sees them.
 * Hostile programs use skipCheck so the runtime and OS layers are tested on their own.
 */
import { describe, expect, test } from "vitest";
import { unpackFrame } from "../../../protocol/frame.ts";
import { ledPositions } from "../../../appliance/src/layout/positions.ts";
import { runProgram } from "../../../appliance/src/sandbox/runner.ts";
import { testPolicy } from "./helpers.ts";

const run = (source: string, extra: Partial<Parameters<typeof runProgram>[0]> = {}) =>
  runProgram({ source, ledCount: 5, timeLimitMs: 10_000, skipCheck: true, policy: testPolicy(), ...extra });

describe("a visitor's program", () => {
  test("the seed's example lights every LED blue", async () => {
    const frames: number[][][] = [];
    const source = "led_count = getLEDCount()\nstates = [[0, 0, 255, 100] for _ in range(led_count)]\nsetLEDs(states)\n";
    const result = await runProgram({ source, ledCount: 7, timeLimitMs: 10_000, onFrame: (frame) => frames.push(unpackFrame(frame)) });
    expect(result).toMatchObject({ status: "completed", frames: 1, dropped: 0, rejected: 0 });
    expect(frames).toEqual([Array(7).fill([0, 0, 255, 100])]);
  });

  test("colour constants, hsv and positions work as documented", async () => {
    const source = [
      "print(getLEDPositions()[1] == tuple(POS))",
      "setLEDs([RED, GREEN, BLUE, hsv(0), OFF])",
      "print(hsv(120), hsv(240, 1, 0.5), rgb(300, -1, 10.4))",
    ].join("\n");
    const positions = ledPositions(5);
    const result = await run(source.replace("POS", JSON.stringify(positions[1])), { positions });
    expect(result.status).toBe("completed");
    expect(result.stdout).toBe("True\n(0, 255, 0, 100) (0, 0, 128, 100) (255, 0, 10, 100)\n");
    expect(result.frames).toBe(1);
  });

  test("a traceback points at the visitor's own lines, never the harness", async () => {
    const result = await run("x = 1\ndef f(n):\n    return n / 0\nprint('before')\nf(x)\n");
    expect(result.status).toBe("failed");
    expect(result.error).toBe("line 3: ZeroDivisionError: division by zero");
    expect(result.stdout).toBe("before\n");
    expect(result.stderr).toContain('File "program.py", line 5, in <module>');
    expect(result.stderr).toContain('File "program.py", line 3, in f');
    expect(result.stderr).not.toContain("<string>");
    expect(result.stderr).not.toContain("harness");
  });

  test("a syntax error names its line", async () => {
    const result = await run("x = 1\nif x\n    pass\n");
    expect(result.status).toBe("failed");
    expect(result.error).toMatch(/^line 2: SyntaxError/);
  });

  test.each([
    ["setLEDs([RED] * 4)", "line 1: ValueError: setLEDs needs exactly 5 states (one per LED), got 4"],
    ["setLEDs([RED, RED, [300, 0, 0, 100], RED, RED])", "line 1: ValueError: LED 2: R=300 is out of range 0-255"],
    ["setLEDs([RED] * 4 + [[0, 0, 0, 101]])", "line 1: ValueError: LED 4: L=101 is out of range 0-100"],
    ["setLEDs([RED] * 4 + [[0, 0.5, 0, 1]])", "line 1: TypeError: LED 4: G=0.5 is not a whole number (use a whole number, e.g. int(x) or round(x))"],
    ["setLEDs([RED] * 4 + [[True, 0, 0, 1]])", "line 1: TypeError: LED 4: R=True is not a whole number (use a whole number, e.g. int(x) or round(x))"],
    ["setLEDs([RED] * 4 + [[0, 0, 0]])", "line 1: ValueError: LED 4: expected 4 numbers [R, G, B, L], got 3: [0, 0, 0]"],
    ["setLEDs('red')", "line 1: TypeError: setLEDs needs a list of [R, G, B, L] states, got 'red'"],
  ])("setLEDs refuses %s with a clear error", async (source, error) => {
    const result = await run(source);
    expect(result).toMatchObject({ status: "failed", error, frames: 0 });
  });

  test("a tuple of tuples and a loop of frames are accepted", async () => {
    const result = await run("for i in range(20):\n    setLEDs(tuple((i, 0, 0, 100) for _ in range(getLEDCount())))\n");
    expect(result.status).toBe("completed");
    expect(result.frames + result.dropped + (result.held ?? 0)).toBe(20);
    expect(result.rejected).toBe(0);
  });

  test("imports outside math, random, time fail at run time too", async () => {
    const result = await run("import os\n");
    expect(result.error).toBe("line 1: ImportError: import os is not allowed here; you can use math, random, time");
  });

  test("the upload-time check runs first unless skipped", async () => {
    const result = await runProgram({ source: "import os\n", ledCount: 5, timeLimitMs: 10_000, policy: testPolicy() });
    expect(result.status).toBe("rejected");
    expect(result.error).toMatch(/^line 1:/);
  });

  test("a program too deeply nested to compile gets a plain message, not a harness traceback", async () => {
    const result = await run(`x = ${"-".repeat(200_000)}1\n`);
    expect(result.status).toBe("failed");
    expect(result.error).toMatch(/^(MemoryError|RecursionError): the program is nested too deeply to compile/);
    expect(result.stderr).not.toContain("<string>");
  });

  test("list subclasses are shown as what they held when setLEDs read them", async () => {
    const frames: number[][][] = [];
    const source = [
      "class Colour(list):",
      "    pass",
      "calls = [0]",
      "class Fickle(list):",
      "    # Valid the first time it is read, out of range after.",
      "    def __iter__(self):",
      "        calls[0] += 1",
      "        return iter([0, 0, 255, 100] if calls[0] == 1 else [999, 0, 0, 100])",
      "    def __len__(self):",
      "        return 4",
      "setLEDs([Colour([255, 0, 0, 100]) for _ in range(getLEDCount())])",
      "setLEDs(Colour([Colour([0, 255, 0, 100])] * getLEDCount()))",
      "setLEDs([Fickle()] + [OFF] * (getLEDCount() - 1))",
      "print(calls[0])",
    ].join("\n");
    const result = await run(source, { onFrame: (frame) => frames.push(unpackFrame(frame)) });
    expect(result).toMatchObject({ status: "completed", rejected: 0, stdout: "1\n" });
    expect(frames).toEqual([
      Array(5).fill([255, 0, 0, 100]),
      Array(5).fill([0, 255, 0, 100]),
      [[0, 0, 255, 100], ...Array(4).fill([0, 0, 0, 0])],
    ]);
  });

  test("a list subclass is checked like a list", async () => {
    const result = await run("class Colour(list):\n    pass\nsetLEDs([Colour([1, 2, 3])] * 5)\n");
    expect(result).toMatchObject({ status: "failed", error: "line 3: ValueError: LED 0: expected 4 numbers [R, G, B, L], got 3: (1, 2, 3)", frames: 0 });
  });

  test("type() answers for values but not for classes, and makes no classes", async () => {
    const ok = await run("print(type(5).__name__, type([]) is list, type(RED) is tuple, isinstance(5, int))\n");
    expect(ok).toMatchObject({ status: "completed", stdout: "int True True True\n" });
    const refused = "line 1: TypeError: type() of a class is not available here; use type() on values, as in type(5)";
    expect(await run("T = type(type(1))\n")).toMatchObject({ status: "failed", error: refused });
    expect(await run("T = type(int)\n")).toMatchObject({ status: "failed", error: refused });
    const noClasses = "line 1: TypeError: type() takes exactly one value here, as in type(5); to make a class, use a class statement";
    expect(await run("Meta = type('Meta', (), {})\n")).toMatchObject({ status: "failed", error: noClasses });
    expect(await run("t = type(object=5)\n")).toMatchObject({ status: "failed", error: noClasses });
  });

  test("the review's metaclass escape through match stops at its first line", async () => {
    const source = [
      "T = type(type(1))",
      'Meta = T("Meta", (T,), {"__instancecheck__": lambda cls, obj: True})',
      'Grab = Meta("Grab", (), {"__match_args__": ("__globals__",)})',
      "match setLEDs:",
      "    case Grab(g):",
      '        print("got os:", g["_os"])',
    ].join("\n");
    const result = await run(source);
    expect(result).toMatchObject({ status: "failed", stdout: "" });
    expect(result.error).toMatch(/^line 1: TypeError: type\(\) of a class is not available here/);
  });
});
