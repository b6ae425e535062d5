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

  it("have unique ids and titles", () => {
    expect(new Set(examples.map((example) => example.id)).size).toBe(examples.length);
    expect(new Set(examples.map((example) => example.title)).size).toBe(examples.length);
  });
});
