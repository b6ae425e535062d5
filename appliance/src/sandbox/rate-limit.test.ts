import { describe, expect, test } from "vitest";
import { sandboxLimits } from "./limits.ts";
import { FloodWatch, TokenBucket } from "./rate-limit.ts";

describe("TokenBucket", () => {
  test("lets a burst through, then the sustained rate", () => {
    const bucket = new TokenBucket(10, 3, 0);
    expect([bucket.take(0), bucket.take(0), bucket.take(0), bucket.take(0)]).toEqual([true, true, true, false]);
    expect(bucket.take(50)).toBe(false); // half a token
    expect(bucket.take(100)).toBe(true);
    expect(bucket.take(100)).toBe(false);
  });

  test("a flood at many times the rate passes only the rate", () => {
    const { maxFramesPerSecond, frameBurst } = sandboxLimits;
    const bucket = new TokenBucket(maxFramesPerSecond, frameBurst, 0);
    let passed = 0;
    for (let ms = 0; ms < 5000; ms += 0.1) if (bucket.take(ms)) passed++;
    expect(passed).toBeGreaterThanOrEqual(5 * maxFramesPerSecond);
    expect(passed).toBeLessThanOrEqual(5 * maxFramesPerSecond + frameBurst);
  });

  test("an infinite rate never refuses", () => {
    const bucket = new TokenBucket(Infinity, 1, 0);
    for (let i = 0; i < 1000; i++) expect(bucket.take(0)).toBe(true);
  });
});

describe("FloodWatch", () => {
  test("stops only after the configured number of consecutive flood seconds", () => {
    const watch = new FloodWatch(5, 3);
    const flood = (second: number) => {
      let stop = false;
      for (let i = 0; i < 10; i++) stop = watch.dropped(second * 1000 + i) || stop;
      return stop;
    };
    expect(flood(0)).toBe(false);
    expect(flood(1)).toBe(false);
    expect(flood(2)).toBe(true);
  });

  test("a quiet second in between starts the count again", () => {
    const watch = new FloodWatch(5, 2);
    const drop = (second: number, count: number) => {
      let stop = false;
      for (let i = 0; i < count; i++) stop = watch.dropped(second * 1000 + i) || stop;
      return stop;
    };
    expect(drop(0, 10)).toBe(false);
    expect(drop(1, 2)).toBe(false); // a few drops: not a flood second
    expect(drop(2, 10)).toBe(false);
    expect(drop(4, 10)).toBe(false); // second 3 had no drops at all
    expect(drop(5, 10)).toBe(true);
  });
});
