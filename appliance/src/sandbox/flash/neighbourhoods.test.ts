import { describe, expect, test } from "vitest";
import { ledPositions, type LedPosition } from "../../layout/positions.ts";
import { blendCutoffWidths, blendWidthPerSpacing, neighbourhoods } from "./neighbourhoods.ts";

const line = (count: number, spacing = 0.1): LedPosition[] => Array.from({ length: count }, (_, i) => [i * spacing, 0, 0]);

/** Blended value of LED `led` for per-LED values `values`. */
function blended(hoods: ReturnType<typeof neighbourhoods>, values: number[], led: number): number {
  let sum = 0;
  for (let k = hoods.start[led]!; k < hoods.start[led + 1]!; k++) sum += hoods.weights[k]! * values[hoods.leds[k]!]!;
  return sum;
}

describe("neighbourhoods", () => {
  test("weights sum to one, the LED itself weighs most, and nothing beyond the cutoff is blended", () => {
    const positions = ledPositions(300);
    const hoods = neighbourhoods(positions);
    for (let led = 0; led < positions.length; led++) {
      let total = 0;
      let own = 0;
      let nearest = Infinity;
      for (let other = 0; other < positions.length; other++) {
        if (other !== led) nearest = Math.min(nearest, Math.hypot(...positions[led]!.map((value, axis) => value - positions[other]![axis]!)));
      }
      for (let k = hoods.start[led]!; k < hoods.start[led + 1]!; k++) {
        const other = hoods.leds[k]!;
        total += hoods.weights[k]!;
        if (other === led) own = hoods.weights[k]!;
        const distance = Math.hypot(...positions[led]!.map((value, axis) => value - positions[other]![axis]!));
        expect(distance).toBeLessThan(nearest * blendWidthPerSpacing * blendCutoffWidths);
      }
      expect(total).toBeCloseTo(1, 12);
      for (let k = hoods.start[led]!; k < hoods.start[led + 1]!; k++) expect(hoods.weights[k]!).toBeLessThanOrEqual(own);
    }
  });

  test("a pattern one to three LEDs fine blends to an even glow; a band of eight LEDs does not", () => {
    const count = 64;
    const hoods = neighbourhoods(line(count));
    const middle = Array.from({ length: 32 }, (_, i) => i + 16);
    const spread = (values: number[]) => Math.max(...middle.map((led) => blended(hoods, values, led))) - Math.min(...middle.map((led) => blended(hoods, values, led)));
    expect(spread(Array.from({ length: count }, (_, i) => (i % 2 === 0 ? 1 : 0)))).toBeLessThan(0.02);
    expect(spread(Array.from({ length: count }, (_, i) => (i % 3 === 0 ? 1 : 0)))).toBeLessThan(0.02);
    expect(spread(Array.from({ length: count }, (_, i) => (Math.floor(i / 8) % 2 === 0 ? 1 : 0)))).toBeGreaterThan(0.8);
  });

  test("follows the local spacing: near the tip of the cone, where LEDs crowd, it reaches less far", () => {
    const positions = ledPositions(300);
    const hoods = neighbourhoods(positions);
    const reach = (led: number) => {
      let farthest = 0;
      for (let k = hoods.start[led]!; k < hoods.start[led + 1]!; k++) {
        farthest = Math.max(farthest, Math.hypot(...positions[led]!.map((value, axis) => value - positions[hoods.leds[k]!]![axis]!)));
      }
      return farthest;
    };
    expect(reach(290)).toBeLessThan(reach(10) / 2);
  });

  test("a single LED, and LEDs at one spot, are their own neighbourhood", () => {
    expect([...neighbourhoods([[0, 0, 0]]).weights]).toEqual([1]);
    const same = neighbourhoods([[1, 1, 1], [1, 1, 1]]);
    expect([...same.weights]).toEqual([0.5, 0.5, 0.5, 0.5]);
  });
});
