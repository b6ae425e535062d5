import { describe, expect, it } from "vitest";
import { maxTrackedKeys, SlidingWindowLimiter } from "./rate-limit.ts";

describe("SlidingWindowLimiter", () => {
  it("allows `limit` hits per window and says when the next is allowed", () => {
    let now = 0;
    const limiter = new SlidingWindowLimiter(3, 60_000, () => now);
    expect(limiter.hit("ip")).toEqual({ ok: true });
    now = 10_000;
    expect(limiter.hit("ip")).toEqual({ ok: true });
    expect(limiter.hit("ip")).toEqual({ ok: true });
    expect(limiter.hit("ip")).toEqual({ ok: false, retryAfterMs: 50_000 });
    expect(limiter.hit("other")).toEqual({ ok: true });
    now = 60_000;
    expect(limiter.hit("ip")).toEqual({ ok: true });
    expect(limiter.hit("ip")).toEqual({ ok: false, retryAfterMs: 10_000 });
  });

  it("stays bounded under a flood of distinct keys", () => {
    const limiter = new SlidingWindowLimiter(1, 60_000, () => 0);
    for (let i = 0; i < maxTrackedKeys * 3; i++) limiter.hit(`10.${i}`);
    expect((limiter as unknown as { hits: Map<string, number[]> }).hits.size).toBeLessThanOrEqual(maxTrackedKeys);
  });
});

describe("SlidingWindowLimiter.refund", () => {
  it("gives back the latest hit of that key only", () => {
    let now = 0;
    const limiter = new SlidingWindowLimiter(2, 60_000, () => now);
    expect(limiter.hit("ip")).toEqual({ ok: true });
    now = 1_000;
    expect(limiter.hit("ip")).toEqual({ ok: true });
    expect(limiter.hit("ip").ok).toBe(false);
    limiter.refund("ip");
    limiter.refund("never seen");
    expect(limiter.hit("ip")).toEqual({ ok: true });
    expect(limiter.hit("ip")).toEqual({ ok: false, retryAfterMs: 59_000 });
  });
});
