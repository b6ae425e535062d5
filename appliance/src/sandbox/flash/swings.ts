/**
 * Transitions of one signal, counted the way the flash analyses count them:
 * a transition is a change of at least `delta` against the extreme the signal
 * last swung to, in the opposite direction of that swing. A signal climbing
 * slowly extends its swing (no new transition); turning back counts once it
 * has come back by `delta`. Small wobbles never count, however fast.
 */

/** +1 a transition brighter, -1 darker, 0 none. `direction` is the current swing's way (0 before the first). */
export function turnOf(value: number, anchor: number, direction: number, delta: number): number {
  const change = value - anchor;
  if (direction !== 0 && change * direction >= 0) return 0;
  if (change >= delta) return 1;
  if (change <= -delta) return -1;
  return 0;
}

/** True when `value` extends the current swing or turns it: the anchor then moves to `value`. */
export function movesAnchor(value: number, anchor: number, direction: number, turn: number): boolean {
  return turn !== 0 || (direction !== 0 && (value - anchor) * direction >= 0);
}

/**
 * The last `size` transition times of each of `count` signals, oldest
 * overwritten first. Enough to tell whether more than `size - 1` fell within
 * a window, which is all the limit asks.
 */
export class TransitionTimes {
  readonly #times: Float64Array;
  readonly #next: Uint8Array;
  readonly #size: number;

  constructor(count: number, size: number) {
    this.#size = size;
    this.#times = new Float64Array(count * size).fill(Number.NEGATIVE_INFINITY);
    this.#next = new Uint8Array(count);
  }

  /** The `back`-th most recent transition of `signal` (1 = the latest), -Infinity when fewer. */
  recent(signal: number, back: number): number {
    const slot = (this.#next[signal]! - back + this.#size * 2) % this.#size;
    return this.#times[signal * this.#size + slot]!;
  }

  push(signal: number, timeMs: number): void {
    const slot = this.#next[signal]!;
    this.#times[signal * this.#size + slot] = timeMs;
    this.#next[signal] = (slot + 1) % this.#size;
  }
}
