/**
 * Every starter example passes the real upload check and runs in the real sandbox without an error
 * (stopped early here: a short time limit instead of the full slot).
 */
import { describe, expect, it } from "vitest";
import { checkProgram } from "../../../appliance/src/checker/check.ts";
import { runProgram } from "../../../appliance/src/sandbox/runner.ts";
import { examples } from "./examples.ts";

describe("starter examples", () => {
  it("pass the upload check", async () => {
    const verdicts = await Promise.all(examples.map(async (example) => ({ id: example.id, verdict: await checkProgram(example.code) })));
    for (const { id, verdict } of verdicts) expect(verdict, id).toEqual({ ok: true });
  });

  it("light the tree without an error", async () => {
    // One at a time, as the scheduler runs them: sandboxes share one uid and its process limit.
    for (const example of examples) {
      const id = example.id;
      const result = await runProgram({ source: example.code, ledCount: 50, timeLimitMs: 800 });
      expect(["completed", "timeout"], `${id}: ${result.error}`).toContain(result.status);
      expect(result.frames, id).toBeGreaterThan(0);
      expect(result.stderr, id).toBe("");
    }
  }, 20_000);

  it("show the API off: at least 12, using positions in space, a class, the clock and colour names", () => {
    expect(examples.length).toBeGreaterThanOrEqual(12);
    const using = (pattern: RegExp) => examples.filter((example) => pattern.test(example.code)).map((example) => example.id);
    expect(using(/getLEDPositions\(\)/).length).toBeGreaterThanOrEqual(4);
    expect(using(/^class \w+/m)).not.toEqual([]);
    expect(using(/time\.localtime\(\)/)).not.toEqual([]);
    expect(using(/\bhsv\(/).length).toBeGreaterThanOrEqual(4);
    expect(using(/\b(RED|GOLD|WHITE|CYAN|OFF)\b/).length).toBeGreaterThanOrEqual(4);
    // Ids go into links (/editor#example=<id>) as they are.
    for (const example of examples) expect(example.id).toMatch(/^[a-z][a-z0-9-]*$/);
  });

  it("have unique ids and titles", () => {
    expect(new Set(examples.map((example) => example.id)).size).toBe(examples.length);
    expect(new Set(examples.map((example) => example.title)).size).toBe(examples.length);
  });
});
