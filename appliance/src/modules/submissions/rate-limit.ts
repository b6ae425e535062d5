/**
 * A sliding-window counter per key (an IP address): at most `limit` hits in any
 * `windowMs`. It says how long until the next hit would be allowed, so the 429
 * can tell a student exactly when to try again. Keys are bounded: idle ones are
 * swept when the map grows, so a flood of spoofed addresses cannot grow memory.
 */
export const maxTrackedKeys = 10_000;

export type RateDecision = { ok: true } | { ok: false; retryAfterMs: number };

export class SlidingWindowLimiter {
  private readonly hits = new Map<string, number[]>();

  constructor(
    private readonly limit: number,
    private readonly windowMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  hit(key: string): RateDecision {
    const now = this.now();
    const recent = (this.hits.get(key) ?? []).filter((at) => now - at < this.windowMs);
    if (recent.length >= this.limit) {
      this.hits.set(key, recent);
      return { ok: false, retryAfterMs: recent[0]! + this.windowMs - now };
    }
    recent.push(now);
    if (!this.hits.has(key) && this.hits.size >= maxTrackedKeys) this.sweep(now);
    this.hits.set(key, recent);
    return { ok: true };
  }

  /**
   * Gives back the latest hit of `key`: a request that was admitted and then
   * refused (its upload failed the check) does not spend the budget.
   */
  refund(key: string): void {
    const recent = this.hits.get(key);
    if (recent === undefined || recent.length === 0) return;
    recent.pop();
    if (recent.length === 0) this.hits.delete(key);
  }

  private sweep(now: number): void {
    for (const [key, times] of this.hits) {
      if (times.every((at) => now - at >= this.windowMs)) this.hits.delete(key);
    }
    // Still full of live keys: forget the oldest half rather than grow without bound.
    if (this.hits.size >= maxTrackedKeys) {
      let drop = Math.floor(this.hits.size / 2);
      for (const key of this.hits.keys()) {
        if (drop-- <= 0) break;
        this.hits.delete(key);
      }
    }
  }
}
