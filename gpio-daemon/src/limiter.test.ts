import { describe, expect, it } from "vitest";
import { channelMax, levelMax } from "../../protocol/limits.ts";
import { estimateMilliamps, limitFrame, planLimiter, type LimiterSettings } from "./limiter.ts";

const settings = (overrides: Partial<LimiterSettings> = {}): LimiterSettings => ({
  ledCount: 10,
  brightnessCapPercent: 100,
  psuAmps: 100,
  reserveMilliamps: 0,
  milliampsPerLed: 60,
  idleMilliampsPerLed: 1,
  ...overrides,
});

const packedOf = (states: number[][]) => new Uint8Array(states.flat());
const uniform = (count: number, state: number[]) => packedOf(Array.from({ length: count }, () => state));

describe("limitFrame arithmetic", () => {
  it("passes a frame within budget through unchanged and estimates idle + channels × mA / 765", () => {
    const plan = planLimiter(settings({ ledCount: 2 }));
    const rgb = new Uint8Array(6);
    const report = limitFrame(packedOf([[255, 255, 255, 100], [255, 0, 0, 100]]), plan, rgb);
    expect([...rgb]).toEqual([255, 255, 255, 255, 0, 0]);
    // 2 idle + 60 (full white) + 20 (one channel at full).
    expect(report).toEqual({ requestedMilliamps: 82, milliamps: 82, scale: 1, limited: false });
  });

  it("applies L per LED, rounding down", () => {
    const plan = planLimiter(settings({ ledCount: 1 }));
    const rgb = new Uint8Array(3);
    limitFrame(packedOf([[255, 100, 3, 50]]), plan, rgb);
    expect([...rgb]).toEqual([127, 50, 1]);
  });

  it("applies the global brightness cap before the limiter", () => {
    const plan = planLimiter(settings({ ledCount: 1, brightnessCapPercent: 40 }));
    const rgb = new Uint8Array(3);
    const report = limitFrame(packedOf([[255, 255, 255, 100]]), plan, rgb);
    expect([...rgb]).toEqual([102, 102, 102]);
    expect(report.limited).toBe(false);
    expect(report.requestedMilliamps).toBeCloseTo(1 + (306 * 60) / 765, 2);
  });

  it("scales a frame over budget down to the budget, the whole frame by one factor", () => {
    // 10 LEDs full white: 10 idle + 600 mA; budget 0.31 A = 310 mA → 300 mA for the channels: half.
    const plan = planLimiter(settings({ psuAmps: 0.31 }));
    const rgb = new Uint8Array(30);
    const report = limitFrame(uniform(10, [255, 255, 255, 100]), plan, rgb);
    expect(report.limited).toBe(true);
    expect(report.requestedMilliamps).toBe(610);
    expect(report.milliamps).toBeLessThanOrEqual(310);
    expect(report.scale).toBeCloseTo(0.5, 3);
    expect(new Set(rgb)).toEqual(new Set([127]));
  });

  it("keeps colour ratios when it scales", () => {
    const plan = planLimiter(settings({ ledCount: 1, psuAmps: 0.021 }));
    const rgb = new Uint8Array(3);
    limitFrame(packedOf([[200, 100, 0, 100]]), plan, rgb);
    expect(rgb[0]).toBeGreaterThan(0);
    expect(Math.abs(rgb[0]! - 2 * rgb[1]!)).toBeLessThanOrEqual(1);
    expect(rgb[2]).toBe(0);
  });

  it("honours the reserve", () => {
    const without = planLimiter(settings({ psuAmps: 0.5 }));
    const withReserve = planLimiter(settings({ psuAmps: 0.5, reserveMilliamps: 200 }));
    expect(without.budgetMilliamps).toBe(500);
    expect(withReserve.budgetMilliamps).toBe(300);
    const report = limitFrame(uniform(10, [255, 255, 255, 100]), withReserve);
    expect(report.milliamps).toBeLessThanOrEqual(300);
  });

  it("turns everything off when the budget covers only the idle draw", () => {
    const plan = planLimiter(settings({ psuAmps: 0.01 }));
    const rgb = new Uint8Array(30);
    const report = limitFrame(uniform(10, [255, 255, 255, 100]), plan, rgb);
    expect(rgb.every((v) => v === 0)).toBe(true);
    expect(report.milliamps).toBe(10);
  });

  it("never puts the shown estimate over budget, on random frames and settings", () => {
    let seed = 42;
    const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    for (let round = 0; round < 400; round++) {
      const ledCount = 1 + Math.floor(random() * 300);
      const s = settings({
        ledCount,
        brightnessCapPercent: Math.floor(random() * 101),
        psuAmps: 0.1 + random() * 20,
        reserveMilliamps: Math.floor(random() * 50),
        milliampsPerLed: 1 + random() * 80,
        idleMilliampsPerLed: random() * 0.3,
      });
      const plan = planLimiter(s);
      if (plan.budgetMilliamps <= plan.idleMilliamps) continue;
      const bright = random() < 0.5;
      const packed = new Uint8Array(ledCount * 4);
      for (let i = 0; i < packed.length; i++) {
        const isLevel = i % 4 === 3;
        packed[i] = bright ? (isLevel ? levelMax : channelMax - Math.floor(random() * 3)) : Math.floor(random() * ((isLevel ? levelMax : channelMax) + 1));
      }
      const rgb = new Uint8Array(ledCount * 3);
      const report = limitFrame(packed, plan, rgb);
      const shownSum = rgb.reduce((a, v) => a + v, 0);
      expect(estimateMilliamps(shownSum, plan)).toBeLessThanOrEqual(plan.budgetMilliamps);
      expect(report.milliamps).toBeLessThanOrEqual(plan.budgetMilliamps);
      // Exact check without floating point: shownSum × mA ≤ (budget − idle) × 765, scaled to integers.
      if (report.limited) {
        expect(shownSum).toBeLessThanOrEqual(plan.maxChannelSum);
        // The limiter does not waste the budget: one more unit per channel would exceed it.
        expect(shownSum + ledCount * 3).toBeGreaterThanOrEqual(plan.maxChannelSum);
      }
      // No channel ever grows.
      let grown = 0;
      for (let led = 0; led < ledCount; led++) {
        for (let c = 0; c < 3; c++) {
          const before = Math.floor((packed[led * 4 + c]! * packed[led * 4 + 3]! * s.brightnessCapPercent) / 10000);
          if (rgb[led * 3 + c]! > before) grown++;
        }
      }
      expect(grown).toBe(0);
    }
  });

  it("agrees with an integer-only budget check on integer settings", () => {
    const plan = planLimiter(settings({ ledCount: 300, psuAmps: 5, milliampsPerLed: 55, idleMilliampsPerLed: 1 }));
    const rgb = new Uint8Array(900);
    limitFrame(uniform(300, [255, 255, 255, 100]), plan, rgb);
    const shownSum = rgb.reduce((a, v) => a + v, 0);
    // 300 idle mA + shownSum × 55 / 765 ≤ 5000  ⇔  shownSum × 55 ≤ 4700 × 765
    expect(shownSum * 55).toBeLessThanOrEqual(4700 * 765);
  });
});
