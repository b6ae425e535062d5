import { describe, expect, test } from "vitest";
import { maxLedCount } from "../../../protocol/limits.ts";
import { defaultLayout, ledPositions } from "./positions.ts";

describe("ledPositions", () => {
  test("one (x, y, z) per LED, x and y within -1..1, z rising from 0", () => {
    const positions = ledPositions(300);
    expect(positions).toHaveLength(300);
    for (const [x, y, z] of positions) {
      expect(Math.abs(x)).toBeLessThanOrEqual(1);
      expect(Math.abs(y)).toBeLessThanOrEqual(1);
      expect(z).toBeGreaterThanOrEqual(0);
      expect(z).toBeLessThan(defaultLayout.heightUnits);
    }
    expect(positions[0]).toEqual([1, 0, 0]);
    const heights = positions.map(([, , z]) => z);
    expect(heights).toEqual([...heights].sort((a, b) => a - b));
  });

  test("a cone: LEDs higher up are closer to the trunk", () => {
    const positions = ledPositions(100);
    const radius = ([x, y]: number[]) => Math.hypot(x!, y!);
    expect(radius(positions[90]!)).toBeLessThan(radius(positions[10]!));
  });

  test("is deterministic and JSON-clean (no -0, four decimals)", () => {
    expect(ledPositions(50)).toEqual(ledPositions(50));
    const text = JSON.stringify(ledPositions(50));
    expect(text).not.toContain("-0,");
    expect(text).not.toMatch(/\.\d{5,}/);
  });

  test.each([0, -1, 1.5, maxLedCount + 1, Number.NaN])("refuses %s LEDs", (count) => {
    expect(() => ledPositions(count)).toThrow(RangeError);
  });

  test("a single LED sits at the bottom", () => {
    expect(ledPositions(1)).toEqual([[1, 0, 0]]);
  });
});
