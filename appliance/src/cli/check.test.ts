import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, test } from "vitest";

const mainPath = fileURLToPath(new URL("../main.ts", import.meta.url));
const dir = mkdtempSync(join(tmpdir(), "cli-check-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function write(name: string, content: string | Uint8Array): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}

function check(...args: string[]) {
  const run = spawnSync(process.execPath, [mainPath, "check", ...args], { encoding: "utf8", timeout: 20_000 });
  const lines = run.stdout.trim().split("\n");
  return { code: run.status, stdout: run.stdout, stderr: run.stderr, verdict: run.stdout.startsWith("{") ? JSON.parse(lines[lines.length - 1]!) : undefined };
}

describe("tree-app check FILE", () => {
  test("prints {\"ok\":true} for the seed's example and exits 0", () => {
    const file = write("seed.py", "led_count = getLEDCount()\nstates = [[0, 0, 255, 100] for _ in range(led_count)]\nsetLEDs(states)\n");
    const { code, stdout } = check(file);
    expect(code).toBe(0);
    expect(stdout).toBe('{"ok":true}\n');
  });

  test("prints the rejection as JSON, naming line 1 for import os, and still exits 0", () => {
    const { code, verdict } = check(write("os.py", "import os\n"));
    expect(code).toBe(0);
    expect(verdict).toMatchObject({ ok: false, line: 1, column: 1 });
    expect(verdict.error).toContain("import os");
  });

  test("reads the file as bytes, so text that is not UTF-8 is a verdict, not a crash", () => {
    const { code, verdict } = check(write("latin1.py", Uint8Array.from([0x78, 0x20, 0x3d, 0x20, 0x27, 0xe9, 0x27, 0x0a])));
    expect(code).toBe(0);
    expect(verdict).toMatchObject({ ok: false, line: 1 });
    expect(verdict.error).toContain("UTF-8");
  });

  test.each([
    [[] as string[], "which file"],
    [["a.py", "b.py"], "expected one FILE"],
    [["--frames"], "expected one FILE"],
    [["/nonexistent/program.py"], "no such file"],
    [["/"], "directory"],
  ])("usage errors exit 2 with a message: %j", (args, message) => {
    const { code, stderr, stdout } = check(...args);
    expect(code).toBe(2);
    expect(stdout).toBe("");
    expect(stderr).toContain(message);
  });

  test("--help prints the usage and exits 0", () => {
    const { code, stdout } = check("--help");
    expect(code).toBe(0);
    expect(stdout).toContain("usage: tree-app check FILE");
  });
});
