import { describe, expect, it } from "vitest";
import { displayLevel } from "./colour.ts";

describe("displayLevel", () => {
  it("keeps black and full, lifts dim values and stays monotonic", () => {
    expect(displayLevel(0)).toBe(0);
    expect(displayLevel(255)).toBe(255);
    expect(displayLevel(64)).toBeGreaterThan(64);
    for (let value = 1; value < 256; value++) expect(displayLevel(value)).toBeGreaterThanOrEqual(displayLevel(value - 1));
  });

  it("clamps out-of-range input", () => {
    expect(displayLevel(-5)).toBe(0);
    expect(displayLevel(999)).toBe(255);
  });
});
