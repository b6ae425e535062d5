/**
 * runProgram against the real jail: the frame channel is hostile input (caps, validation, rate, sustained abuse).
 * Hostile programs use skipCheck so the runtime and OS layers are tested on their own.
 */
import { describe, expect, test } from "vitest";
import { maxLineBytes } from "../../../protocol/limits.ts";
import { mib } from "../../../appliance/src/sandbox/limits.ts";
import { flashNote } from "../../../appliance/src/sandbox/flash/flash-guard.ts";
import { runProgram } from "../../../appliance/src/sandbox/runner.ts";
import { goWhenReady, testPolicy } from "./helpers.ts";

const run = (source: string, extra: Partial<Parameters<typeof runProgram>[0]> = {}) =>
  runProgram({ source, ledCount: 5, timeLimitMs: 10_000, skipCheck: true, policy: testPolicy(), ...extra });

describe("the frame channel is hostile input", () => {
  const leakOs = "import random\nos = random._os\n";

  test("a line beyond the cap and invalid frames are counted, valid ones still pass", async () => {
    const source = `${leakOs}os.write(3, b'[' * ${maxLineBytes + 10} + b'\\n')\nos.write(3, b'[[1,2,3]]\\nnot json\\n[[1,2,3,4]]\\n')\nsetLEDs([RED] * 5)\n`;
    const result = await run(source);
    expect(result).toMatchObject({ status: "completed", rejected: 4, frames: 1 });
  });

  test("sustained invalid frames stop the program", async () => {
    const policy = testPolicy();
    const result = await run(`${leakOs}while True:\n    os.write(3, b'[[1, 2, 3, 999]] * 5\\n')\n`, { policy });
    expect(result.status).toBe("failed");
    expect(result.error).toMatch(/^stopped: sent \d+ invalid frames \(the first: /);
    expect(result.rejected).toBe(policy.limits.maxRejectedFrames + 1);
  });

  test("a flood that bypasses setLEDs is dropped, counted and finally stopped", async () => {
    const policy = testPolicy({ maxFloodSeconds: 1 });
    const frame = JSON.stringify(Array(5).fill([0, 0, 0, 0]));
    const result = await run(`${leakOs}line = b'${frame}\\n'\nwhile True:\n    os.write(3, line)\n`, { policy });
    expect(result.status).toBe("failed");
    expect(result.error).toContain(`faster than ${policy.limits.maxFramesPerSecond} per second`);
    expect(result.dropped).toBeGreaterThan(policy.limits.floodDroppedFramesPerSecond);
  });

  test("a forged error record is bounded and only the first counts", async () => {
    const result = await run(`${leakOs}os.write(3, b'{"error": "forged"}\\n{"error": "again"}\\n{"x": 1}\\n')\n`);
    expect(result.status).toBe("completed");
    expect(result.rejected).toBe(2);
  });

  test("a strobe is softened to the flash limit and the visitor gets a note, not an error", async () => {
    const policy = testPolicy();
    // LED 0's emitted light (0-1 of full white) and when the tree was handed it.
    const shown: { timeMs: number; light: number }[] = [];
    const result = await run("for i in range(60):\n    setLEDs([WHITE if i % 2 else OFF] * 5)\n", {
      policy,
      onFrame: (frame) => shown.push({ timeMs: performance.now(), light: (frame[0]! * frame[3]!) / 100 / 255 }),
    });
    expect(result.status).toBe("completed");
    expect((result.softened ?? 0) + (result.held ?? 0)).toBeGreaterThan(0);
    expect(result.frames + (result.held ?? 0) + result.dropped).toBe(60);
    expect(result.note).toBe(flashNote(policy.limits));
    expect(result.error).toBeUndefined();
    // Swings of a tenth of full white or more, each against the last turning point.
    const swings: number[] = [];
    let turningPoint = 0;
    let rising: boolean | undefined;
    for (const { timeMs, light } of shown) {
      if (rising !== undefined && light !== turningPoint && light > turningPoint === rising) turningPoint = light;
      else if (Math.abs(light - turningPoint) >= policy.limits.flashLuminanceDelta) {
        swings.push(timeMs);
        rising = light > turningPoint;
        turningPoint = light;
      }
    }
    expect(swings.length).toBeGreaterThan(0);
    // At most 2 per allowed flash in any second (less a few ms: onFrame sees a frame just after the guard stamped it).
    for (const start of swings) {
      expect(swings.filter((time) => time >= start && time < start + 995).length).toBeLessThanOrEqual(2 * policy.limits.maxFlashesPerSecond);
    }
  });

  test("junk without a newline is rejected at once and stopped by the byte budget", async () => {
    const policy = testPolicy();
    const source = `${leakOs}junk = b'x' * 65536\nwhile True:\n    os.write(3, junk)\n`;
    const result = await run(source, { policy });
    expect(result.status).toBe("failed");
    expect(result.error).toBe(
      `stopped: wrote more than ${policy.limits.maxFrameChannelBytesPerSecond / mib} MiB in one second to the LED channel; use setLEDs, which paces itself`,
    );
    expect(result.rejected).toBe(1);
    expect(result.frames).toBe(0);
  });

  test("a line that never ends is counted as soon as it passes the cap", async () => {
    // Past the cap, then quiet until the time limit: the rejection must not wait for a newline that never comes.
    const source = `${leakOs}os.write(3, b'[' * ${maxLineBytes + 1})\nimport time\ntime.sleep(100)\n`;
    const result = await run(source, { timeLimitMs: 1500, ...goWhenReady() });
    expect(result).toMatchObject({ status: "timeout", rejected: 1, frames: 0 });
  });

  test("halves of the tree strobing in opposite phase are slowed to the flash limit too", async () => {
    const source = [
      "n = getLEDCount()",
      "half = n // 2",
      "for i in range(60):",
      "    setLEDs([WHITE] * half + [OFF] * (n - half) if i % 2 == 0 else [OFF] * half + [WHITE] * (n - half))",
    ].join("\n");
    const result = await run(source, { ledCount: 10 });
    expect(result.status).toBe("completed");
    expect((result.softened ?? 0) + (result.held ?? 0)).toBeGreaterThan(0);
    expect(result.frames + (result.held ?? 0) + result.dropped).toBe(60);
  });
});
