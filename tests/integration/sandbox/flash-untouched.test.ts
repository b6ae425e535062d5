/**
 * The idle show and the editor's examples run in the real jail, upload check
 * included, and the flash limit leaves every frame of theirs as it is: no
 * frame softened or held, no note. Each runs a few seconds on the default
 * tree (100 LEDs) and on a larger one.
 */
import { describe, expect, test } from "vitest";
import { examples } from "../../../frontend/src/editor/examples.ts";
import { loadIdleShowSource } from "../../../appliance/src/scheduler/idle-show.ts";
import { runProgram } from "../../../appliance/src/sandbox/runner.ts";
import { testPolicy } from "./helpers.ts";

const programs: [string, () => Promise<string>][] = [
  ["the idle show", loadIdleShowSource],
  ...examples.map((example): [string, () => Promise<string>] => [`example "${example.title}"`, async () => example.code]),
];

describe("the flash limit leaves ordinary programs untouched", () => {
  for (const ledCount of [100, 300]) {
    test.concurrent.each(programs)(`%s on ${ledCount} LEDs`, async (_, load) => {
      const timeLimitMs = 4000;
      const result = await runProgram({ source: await load(), ledCount, timeLimitMs, policy: testPolicy() });
      expect(result.error ?? "").toMatch(/^$|^stopped at the 4 s limit$/);
      expect(result.frames).toBeGreaterThan(0);
      expect(result).not.toHaveProperty("softened");
      expect(result).not.toHaveProperty("held");
      expect(result).not.toHaveProperty("note");
    }, 20_000);
  }
});
