import { describe, expect, test } from "vitest";
import { FlashLimiter, ledLuminance, meanLuminance } from "./flash-limit.ts";
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
  const { maxFlashesPerSecond, flashLuminanceDelta, flashAreaFraction } = sandboxLimits;

  test("a 30 Hz strobe shows at most the allowed flashes in any second", () => {
    const limiter = new FlashLimiter(maxFlashesPerSecond, flashLuminanceDelta, flashAreaFraction);
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
    const limiter = new FlashLimiter(maxFlashesPerSecond, flashLuminanceDelta, flashAreaFraction);
    for (let step = 0; step <= 255; step++) {
      expect(limiter.admit(frameOf(10, [step, step, step, 100]), step * 4)).toBe(true);
    }
    // One LED in twenty blinking changes the mean by 1/20, under the delta.
    const bright = frameOf(20, [255, 255, 255, 100]);
    const twinkle = frameOf(20, [255, 255, 255, 100]);
    twinkle.set([0, 0, 0, 0], 0);
    expect(meanLuminance(bright) - meanLuminance(twinkle)).toBeLessThan(flashLuminanceDelta);
    const steady = new FlashLimiter(maxFlashesPerSecond, flashLuminanceDelta, flashAreaFraction);
    for (let i = 0; i < 120; i++) expect(steady.admit(i % 2 === 0 ? twinkle : bright, i * 16)).toBe(true);
  });

  test("holds a transition past the limit and admits it again a second later", () => {
    const limiter = new FlashLimiter(1, flashLuminanceDelta, flashAreaFraction); // two transitions per second
    expect(limiter.admit(white, 0)).toBe(true);
    expect(limiter.admit(black, 10)).toBe(true);
    expect(limiter.admit(white, 20)).toBe(false);
    expect(limiter.admit(black, 30)).toBe(true); // no change from what is shown
    expect(limiter.admit(white, 1001)).toBe(true);
  });

  /** 40 LEDs, each white or off as `lit(led, frame)` says: the strobes below. */
  const ledCount = 40;
  const pattern = (lit: (led: number, frame: number) => boolean) => (frame: number) => {
    const packed = new Uint8Array(ledCount * 4);
    for (let led = 0; led < ledCount; led++) if (lit(led, frame)) packed.set([255, 255, 255, 100], led * 4);
    return packed;
  };

  /**
   * Feeds 3 s of a 60 fps pattern and returns, judged independently of the
   * limiter from what was shown: the largest share of LEDs that changed
   * brightness more than 2 × maxFlashesPerSecond times within one second, and
   * how many frames were held.
   */
  const strobe = (frameAt: (frame: number) => Uint8Array) => {
    const limiter = new FlashLimiter(maxFlashesPerSecond, flashLuminanceDelta, flashAreaFraction);
    const changes: number[][] = Array.from({ length: ledCount }, () => []);
    const shown = new Float64Array(ledCount); // the tree starts dark
    let held = 0;
    for (let frame = 0; frame < 180; frame++) {
      const ms = (frame * 1000) / 60;
      const packed = frameAt(frame);
      if (!limiter.admit(packed, ms)) {
        held += 1;
        continue;
      }
      for (let led = 0; led < ledCount; led++) {
        const luminance = ledLuminance(packed, led);
        if (Math.abs(luminance - shown[led]!) >= flashLuminanceDelta) changes[led]!.push(ms);
        shown[led] = luminance;
      }
    }
    let worstShare = 0;
    for (const start of changes.flat()) {
      const fast = changes.filter((times) => times.filter((ms) => ms >= start && ms < start + 1000).length > 2 * maxFlashesPerSecond);
      worstShare = Math.max(worstShare, fast.length / ledCount);
    }
    return { worstShare, held, changed: changes.some((times) => times.length > 0) };
  };

  test("a whole-tree strobe is held to the limit", () => {
    const result = strobe(pattern((_, frame) => frame % 2 === 0));
    expect(result.worstShare).toBeLessThan(flashAreaFraction);
    expect(result.held).toBeGreaterThan(0);
    expect(result.changed).toBe(true);
  });

  test("halves of the tree strobing in opposite phase are held, though the mean never changes", () => {
    const frameAt = pattern((led, frame) => (led < ledCount / 2) === (frame % 2 === 0));
    expect(meanLuminance(frameAt(0))).toBeCloseTo(meanLuminance(frameAt(1)), 9);
    const result = strobe(frameAt);
    expect(result.worstShare).toBeLessThan(flashAreaFraction);
    expect(result.held).toBeGreaterThan(0);
    expect(result.changed).toBe(true);
  });

  test("alternating neighbours strobing in opposite phase are held", () => {
    const result = strobe(pattern((led, frame) => (led + frame) % 2 === 0));
    expect(result.worstShare).toBeLessThan(flashAreaFraction);
    expect(result.held).toBeGreaterThan(0);
    expect(result.changed).toBe(true);
  });

  test("a whole-tree strobe smeared over a few frames is held: the mean still swings", () => {
    // Five groups of a fifth each, switched one frame apart: under the area share in every frame.
    const groups = 5;
    const frameAt = pattern((led, frame) => Math.floor((frame - (led % groups) + 60) / groups) % 2 === 0);
    const result = strobe(frameAt);
    expect(result.worstShare).toBeLessThan(flashAreaFraction);
    expect(result.held).toBeGreaterThan(0);
  });

  test("a chase running along the strip is never held, though each LED blinks fast", () => {
    // Two lit LEDs in every ten, moving one LED per frame: the mean never changes.
    const result = strobe(pattern((led, frame) => (led - frame + 600) % 10 < 2));
    expect(result.held).toBe(0);
    expect(result.worstShare).toBe(1);
  });

  test("a few LEDs strobing, under the area share and the delta of the mean, are never held", () => {
    const few = 3;
    expect(few / ledCount).toBeLessThan(Math.min(flashAreaFraction, flashLuminanceDelta));
    const result = strobe(pattern((led, frame) => led < few && frame % 2 === 0));
    expect(result.held).toBe(0);
    expect(result.worstShare).toBeGreaterThan(0);
  });
});
