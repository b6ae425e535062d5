/**
 * `tree-app run` as a real process: what operators, tests and the red-team
 * suite use. The last stdout line is the RunResult; --frames writes frames.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, test } from "vitest";
import { Value } from "@sinclair/typebox/value";
import { RunResultSchema } from "../../../appliance/src/sandbox/run-result.ts";

const root = join(import.meta.dirname, "../../..");
const dir = mkdtempSync(join(tmpdir(), "sandbox-cli-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function program(name: string, source: string | Uint8Array): string {
  const path = join(dir, name);
  writeFileSync(path, source);
  return path;
}

async function app(...args: string[]) {
  const child = Bun.spawn([process.execPath, join(root, "appliance/src/main.ts"), "run", ...args], { stdout: "pipe", stderr: "pipe", cwd: root });
  const [stdout, stderr, code] = await Promise.all([new Response(child.stdout).text(), new Response(child.stderr).text(), child.exited]);
  const last = stdout.trimEnd().split("\n").at(-1) ?? "";
  return { code, stderr, result: last.startsWith("{") ? (JSON.parse(last) as unknown) : undefined };
}

const seedExample = `led_count = getLEDCount()
states = [[0, 0, 255, 100] for _ in range(led_count)]  # Set all LEDs to blue
# or states = [BLUE] * led_count
setLEDs(states)
`;

describe("tree-app run", () => {
  test("the seed's example lights every LED blue, frames written as bare arrays", async () => {
    const frames = join(dir, "frames.jsonl");
    const { code, result } = await app(program("seed.py", seedExample), "--led-count", "12", "--frames", frames);
    expect(code).toBe(0);
    expect(Value.Check(RunResultSchema, result)).toBe(true);
    expect(result).toMatchObject({ status: "completed", frames: 1, dropped: 0, rejected: 0 });
    expect(readFileSync(frames, "utf8")).toBe(`${JSON.stringify(Array(12).fill([0, 0, 255, 100]))}\n`);
  });

  test("import os is rejected at check time, naming line 1; exit 0 because the command ran", async () => {
    const { code, result } = await app(program("os.py", "import os\n"), "--led-count", "3");
    expect(code).toBe(0);
    expect(result).toMatchObject({ status: "rejected", frames: 0 });
    expect((result as { error: string }).error).toMatch(/^line 1:/);
  });

  test("--skip-check skips only the check: the runtime still refuses os", async () => {
    const { result } = await app(program("os2.py", "import os\n"), "--led-count", "3", "--skip-check");
    expect(result).toMatchObject({ status: "failed", error: "line 1: ImportError: import os is not allowed here; you can use math, random, time" });
  });

  test("--time-limit stops a program that runs too long", async () => {
    const { code, result } = await app(program("sleep.py", "import time\ntime.sleep(30)\n"), "--led-count", "3", "--time-limit", "0.5");
    expect(code).toBe(0);
    expect(result).toMatchObject({ status: "timeout", error: "stopped at the 0.5 s limit" });
  });

  test("bytes that are not UTF-8 are rejected by the check", async () => {
    const { result } = await app(program("latin1.py", new Uint8Array([0x70, 0x72, 0x69, 0x6e, 0x74, 0x28, 0xe9, 0x29, 0x0a])), "--led-count", "3");
    expect(result).toMatchObject({ status: "rejected" });
  });

  test.each([
    [[], "FILE is missing"],
    [["x.py"], "--led-count is required"],
    [["x.py", "--led-count", "0"], "--led-count needs a whole number from 1 to 2048"],
    [["x.py", "--led-count", "abc"], "--led-count needs a whole number"],
    [["x.py", "--led-count", "3", "--time-limit", "-1"], "--time-limit needs a number of seconds"],
    [["x.py", "--led-count", "3", "--bogus"], "unknown option --bogus"],
    [["/nonexistent/x.py", "--led-count", "3"], "cannot read /nonexistent/x.py: ENOENT"],
  ])("usage error %j exits 2 with a clear message", async (args, message) => {
    const { code, stderr, result } = await app(...args);
    expect(code).toBe(2);
    expect(stderr).toContain(message);
    expect(result).toBeUndefined();
  });
});
