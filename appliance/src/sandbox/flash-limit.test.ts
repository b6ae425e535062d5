import { describe, expect, test } from "vitest";
import { FlashLimiter, meanLuminance } from "./flash-limit.ts";
import { sandboxLimits } from "./limits.ts";

const frameOf = (ledCount: number, state: [number, number, number, number]) => {
  const frame = new Uint8Array(ledCount * 4);
  for (let i = 0; i < frame.length; i += 4) frame.set(state, i);
  return frame;
};
const white = frameOf(10, [255, 255, 255, 100]);
const black = frameOf(10, [0, 0, 0, 100]);

describe("meanLuminance", () => {
  test("is 0 for dark, 1 for full white, scaled by L", () => {
    expect(meanLuminance(black)).toBe(0);
    expect(meanLuminance(white)).toBeCloseTo(1, 6);
    expect(meanLuminance(frameOf(10, [255, 255, 255, 50]))).toBeCloseTo(0.5, 6);
    // Green looks far brighter than blue.
    expect(meanLuminance(frameOf(1, [0, 255, 0, 100]))).toBeGreaterThan(meanLuminance(frameOf(1, [0, 0, 255, 100])) * 5);
  });
});

describe("FlashLimiter", () => {
  const { maxFlashesPerSecond, flashLuminanceDelta } = sandboxLimits;

  test("a 30 Hz strobe shows at most the allowed flashes in any second", () => {
    const limiter = new FlashLimiter(maxFlashesPerSecond, flashLuminanceDelta);
    const shownAt: number[] = [];
    let shownWhite = false;
    for (let frame = 0; frame < 180; frame++) {
      const ms = (frame * 1000) / 60;
      const wantWhite = frame % 2 === 0;
      if (limiter.admit(wantWhite ? white : black, ms) && wantWhite !== shownWhite) {
        shownAt.push(ms);
        shownWhite = wantWhite;
      }
    }
    // Every window of one second holds at most 2 × maxFlashesPerSecond transitions.
    for (const start of shownAt) {
      expect(shownAt.filter((ms) => ms >= start && ms < start + 1000).length).toBeLessThanOrEqual(2 * maxFlashesPerSecond);
    }
    expect(shownAt.length).toBeGreaterThan(0);
  });

  test("a slow fade and small twinkles are never held", () => {
    const limiter = new FlashLimiter(maxFlashesPerSecond, flashLuminanceDelta);
    for (let step = 0; step <= 255; step++) {
      expect(limiter.admit(frameOf(10, [step, step, step, 100]), step * 4)).toBe(true);
    }
    // One LED in twenty blinking changes the mean by 1/20, under the delta.
    const bright = frameOf(20, [255, 255, 255, 100]);
    const twinkle = frameOf(20, [255, 255, 255, 100]);
    twinkle.set([0, 0, 0, 0], 0);
    expect(meanLuminance(bright) - meanLuminance(twinkle)).toBeLessThan(flashLuminanceDelta);
    const steady = new FlashLimiter(maxFlashesPerSecond, flashLuminanceDelta);
    for (let i = 0; i < 120; i++) expect(steady.admit(i % 2 === 0 ? twinkle : bright, i * 16)).toBe(true);
  });

  test("holds a transition past the limit and admits it again a second later", () => {
    const limiter = new FlashLimiter(1, flashLuminanceDelta); // two transitions per second
    expect(limiter.admit(white, 0)).toBe(true);
    expect(limiter.admit(black, 10)).toBe(true);
    expect(limiter.admit(white, 20)).toBe(false);
    expect(limiter.admit(black, 30)).toBe(true); // no change from what is shown
    expect(limiter.admit(white, 1001)).toBe(true);
  });
});
