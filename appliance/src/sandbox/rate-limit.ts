/**
 * Token bucket for frames: `ratePerSecond` sustained, `burst` back to back.
 * Time is passed in (milliseconds), so tests drive it directly.
 */
export class TokenBucket {
  readonly #ratePerMs: number;
  readonly #burst: number;
  #tokens: number;
  #lastMs: number;

  constructor(ratePerSecond: number, burst: number, nowMs: number) {
    this.#ratePerMs = ratePerSecond / 1000;
    this.#burst = burst;
    this.#tokens = burst;
    this.#lastMs = nowMs;
  }

  /** Takes one token if there is one. An infinite rate never refuses. */
  take(nowMs: number): boolean {
    if (this.#ratePerMs === Infinity) return true;
    const elapsed = Math.max(0, nowMs - this.#lastMs);
    this.#lastMs = nowMs;
    this.#tokens = Math.min(this.#burst, this.#tokens + elapsed * this.#ratePerMs);
    if (this.#tokens < 1) return false;
    this.#tokens -= 1;
    return true;
  }
}

/**
 * Counts seconds in which more than `droppedPerSecond` frames were dropped; a
 * run of `maxSeconds` such seconds in a row is sustained abuse. setLEDs paces
 * itself, so only a program writing to the frame fd directly ever gets here.
 */
export class FloodWatch {
  readonly #droppedPerSecond: number;
  readonly #maxSeconds: number;
  #second = -1;
  #droppedThisSecond = 0;
  #floodSeconds = 0;

  constructor(droppedPerSecond: number, maxSeconds: number) {
    this.#droppedPerSecond = droppedPerSecond;
    this.#maxSeconds = maxSeconds;
  }

  /** Records one dropped frame; true when the flood has lasted long enough to stop the program. */
  dropped(nowMs: number): boolean {
    const second = Math.floor(nowMs / 1000);
    if (second !== this.#second) {
      const previousWasFlood = this.#droppedThisSecond > this.#droppedPerSecond;
      this.#floodSeconds = previousWasFlood && second === this.#second + 1 ? this.#floodSeconds : 0;
      this.#second = second;
      this.#droppedThisSecond = 0;
    }
    this.#droppedThisSecond += 1;
    if (this.#droppedThisSecond === this.#droppedPerSecond + 1) this.#floodSeconds += 1;
    return this.#floodSeconds >= this.#maxSeconds;
  }
}
