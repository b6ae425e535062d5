import { describe, expect, test } from "vitest";
import { limitFrame, planLimiter } from "../../../../gpio-daemon/src/limiter.ts";
import { EmittedLight } from "./emitted-light.ts";

/** A deterministic generator, so a failure can be replayed. */
function seeded(seed: number) {
  return () => {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    return seed / 2 ** 32;
  };
}

describe("EmittedLight", () => {
  test("drive is linear, not sRGB: grey 88 at full level is about a third of full drive", () => {
    const light = new Float64Array(3);
    new EmittedLight({ brightnessCapPercent: 100 }).convert(new Uint8Array([88, 88, 88, 100]), light);
    expect(light[0]).toBeCloseTo(88 / 255, 9);
    // sRGB would have made it 0.097: the old limiter's 3.5-fold underestimate.
    expect(light[0]).toBeGreaterThan(0.34);
  });

  test("agrees with the daemon's light, L, cap and current limiter included, on random frames", () => {
    const random = seeded(13);
    for (let trial = 0; trial < 200; trial++) {
      const ledCount = 1 + Math.floor(random() * 60);
      const brightnessCapPercent = Math.floor(random() * 101);
      const psuAmps = 0.2 + random() * 4;
      const plan = planLimiter({ ledCount, brightnessCapPercent, psuAmps, reserveMilliamps: 0, milliampsPerLed: 60, idleMilliampsPerLed: 1 });
      const frame = new Uint8Array(ledCount * 4);
      for (let i = 0; i < frame.length; i++) frame[i] = i % 4 === 3 ? Math.floor(random() * 101) : Math.floor(random() * 256);
      const daemonBytes = new Uint8Array(ledCount * 3);
      limitFrame(frame, plan, daemonBytes);

      const light = new Float64Array(ledCount * 3);
      new EmittedLight({ brightnessCapPercent, maxChannelSum: plan.maxChannelSum }).convert(frame, light);
      expect(Array.from(light, (value) => Math.round(value * 255))).toEqual([...daemonBytes]);
    }
  });

  test("without a known budget the limiter is taken never to act, which is never darker than the daemon", () => {
    const plan = planLimiter({ ledCount: 10, brightnessCapPercent: 100, psuAmps: 0.3, reserveMilliamps: 0, milliampsPerLed: 60, idleMilliampsPerLed: 1 });
    const frame = new Uint8Array(Array.from({ length: 10 }, () => [255, 255, 255, 100]).flat());
    const daemonBytes = new Uint8Array(30);
    expect(limitFrame(frame, plan, daemonBytes).limited).toBe(true);
    const light = new Float64Array(30);
    new EmittedLight({ brightnessCapPercent: 100 }).convert(frame, light);
    light.forEach((value, i) => expect(value * 255).toBeGreaterThan(daemonBytes[i]!));
  });

  test("refuses a cap outside 0-100", () => {
    expect(() => new EmittedLight({ brightnessCapPercent: 101 })).toThrow(RangeError);
  });
});
