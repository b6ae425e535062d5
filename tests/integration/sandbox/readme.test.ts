/**
 * The visitor docs' examples really run: every ```python block of
 * appliance/runner/README.md goes through runProgram, upload check included,
 * and must complete or reach the (short) time limit without an error. The
 * limits the docs quote are compared with the ones the sandbox enforces.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { maxUploadBytes } from "../../../appliance/src/checker/check.ts";
import { mib } from "../../../appliance/src/sandbox/limits.ts";
import { defaultPolicy } from "../../../appliance/src/sandbox/policy.ts";
import { runProgram } from "../../../appliance/src/sandbox/runner.ts";
import { testPolicy } from "./helpers.ts";

const readme = readFileSync(join(import.meta.dirname, "../../../appliance/runner/README.md"), "utf8");
const examples = [...readme.matchAll(/```python\n([\s\S]*?)```/g)].map((match) => match[1]!);
/** Long enough to show the examples work, short enough to keep the suite quick. */
const exampleTimeLimitMs = 1500;

describe("appliance/runner/README.md", () => {
  test("has examples", () => {
    expect(examples.length).toBeGreaterThanOrEqual(8);
  });

  test.concurrent.each(examples.map((source, index) => [index + 1, source] as const))("example %i runs without an error", async (_, source) => {
    const result = await runProgram({ source, ledCount: 50, timeLimitMs: exampleTimeLimitMs, policy: testPolicy() });
    expect(result.rejected).toBe(0);
    if (result.status === "timeout") expect(result.error).toBe(`stopped at the ${exampleTimeLimitMs / 1000} s limit`);
    else expect(result).toMatchObject({ status: "completed", stderr: "" });
    expect(result.frames).toBeGreaterThan(0);
  });

  test("quotes the limits the sandbox enforces", () => {
    const { limits } = defaultPolicy;
    expect(readme).toContain(`${limits.runTimeoutMs / 1000} seconds`);
    expect(readme).toContain(`${limits.maxFramesPerSecond} frames per second`);
    expect(readme).toContain(`${limits.maxFramesPerSecond} per second`);
    expect(readme).toContain(`at most ${limits.maxFlashesPerSecond} big flashes per second`);
    expect(readme).toContain(`over ${limits.flashAreaFraction * 100}% of the tree or more`);
    // The flash section says the delta in words: "a tenth" is flashLuminanceDelta.
    expect(limits.flashLuminanceDelta).toBe(0.1);
    expect(readme.replace(/\s+/g, " ")).toContain("at least a tenth of full white");
    expect(readme).toContain(`${limits.addressSpaceBytes / mib} MiB`);
    expect(readme).toContain(`the last ${limits.outputTailBytes / 1024} KiB are kept; past ${limits.outputHardCapBytes / mib} MiB`);
    expect(readme).toContain(`| ${maxUploadBytes / 1024} KiB |`);
  });
});
