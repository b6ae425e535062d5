import { describe, expect, test } from "vitest";
import { fdRule, median, rssRule, sampleProcess, steadyGrowth } from "./process-sampler.ts";

const mib = 1024;

describe("the soak's growth verdict", () => {
  test("a leak that keeps rising is growth", () => {
    const minutes = [100, 120, 140, 160, 180, 200, 220].map((m) => m * mib);
    expect(steadyGrowth(minutes, rssRule).growing).toBe(true);
  });

  test("warm-up then a plateau is not growth", () => {
    const minutes = [60, 110, 112, 111, 113, 112, 112].map((m) => m * mib);
    expect(steadyGrowth(minutes, rssRule).growing).toBe(false);
  });

  test("one step up that stays level is not growth, however large", () => {
    expect(steadyGrowth([40, 40, 40, 90, 90, 90, 90], fdRule).growing).toBe(false);
  });

  test("a small rise within the tolerance is not growth", () => {
    expect(steadyGrowth([30, 31, 32, 33, 34], fdRule).growing).toBe(false);
    expect(steadyGrowth([30, 40, 50, 60, 70], fdRule).growing).toBe(true);
  });

  test("too few minutes give no verdict of growth", () => {
    expect(steadyGrowth([10, 500], fdRule)).toMatchObject({ growing: false, why: expect.stringContaining("too few") });
  });

  test("median and /proc sampling", () => {
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    const own = sampleProcess(process.pid)!;
    expect(own.rssKiB).toBeGreaterThan(1000);
    expect(own.fds).toBeGreaterThan(2);
    expect(sampleProcess(2 ** 22 + 7)).toBeNull();
  });
});
