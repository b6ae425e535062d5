import { describe, expect, it } from "vitest";
import { projectLeds } from "./projection.ts";

describe("projectLeds", () => {
  it("puts the bottom of the tree low and the top high, centred", () => {
    const [top, bottom] = [...projectLeds([[0, 0, 2], [0, 0, 0]], 0, 200, 400)].sort((a, b) => a.index - b.index);
    expect(top!.x).toBeCloseTo(100);
    expect(bottom!.x).toBeCloseTo(100);
    expect(top!.y).toBeLessThan(bottom!.y);
    expect(top!.y).toBeGreaterThanOrEqual(0);
    expect(bottom!.y).toBeLessThanOrEqual(400);
  });

  it("keeps every LED of a full cone inside the canvas at any angle", () => {
    const cone = Array.from({ length: 200 }, (_, i) => {
      const z = i / 100;
      const r = 1 - z / 2;
      return [r * Math.cos(i), r * Math.sin(i), z];
    });
    for (const angle of [0, 0.7, 2, 4]) {
      for (const led of projectLeds(cone, angle, 300, 300)) {
        expect(led.x).toBeGreaterThanOrEqual(0);
        expect(led.x).toBeLessThanOrEqual(300);
        expect(led.y).toBeGreaterThanOrEqual(0);
        expect(led.y).toBeLessThanOrEqual(300);
      }
    }
  });

  it("turns the tree: a quarter turn moves an LED from the side to the front", () => {
    const [side] = projectLeds([[1, 0, 0]], 0, 200, 200);
    const [front] = projectLeds([[1, 0, 0]], Math.PI / 2, 200, 200);
    expect(side!.x).toBeGreaterThan(150);
    expect(front!.x).toBeCloseTo(100);
    expect(Math.abs(front!.depth)).toBeCloseTo(1);
  });

  it("orders far LEDs first and draws near ones larger", () => {
    const leds = projectLeds([[0, -1, 0], [0, 1, 0]], 0, 200, 200);
    expect(leds.map((led) => led.index)).toEqual([1, 0]);
    expect(leds[1]!.scale).toBeGreaterThan(leds[0]!.scale);
  });

  it("copes with an empty layout and a flat one", () => {
    expect(projectLeds([], 0, 100, 100)).toEqual([]);
    const flat = projectLeds([[0.5, 0, 0], [-0.5, 0, 0]], 0, 100, 100);
    for (const led of flat) expect(Number.isFinite(led.y)).toBe(true);
  });
});
