/**
 * The per-frame flash limiter the runner used before the flash guard
 * (appliance/src/sandbox/flash/), kept only as flash.bench.ts's baseline: it
 * judged sRGB values one frame at a time, and it is not used by the appliance.
 */
import type { PackedFrame } from "../protocol/frame.ts";
import { channelMax, levelMax } from "../protocol/limits.ts";

const linear = new Float64Array(channelMax + 1);
for (let v = 0; v <= channelMax; v++) {
  const c = v / channelMax;
  linear[v] = c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
}

/** Relative luminance of LED `index` of a packed frame, 0 (dark) to 1 (full white). */
export function ledLuminance(frame: PackedFrame, index: number): number {
  const i = index * 4;
  const y = 0.2126 * linear[frame[i]!]! + 0.7152 * linear[frame[i + 1]!]! + 0.0722 * linear[frame[i + 2]!]!;
  return (y * frame[i + 3]!) / levelMax;
}

/** Mean relative luminance of a packed frame, 0 (dark) to 1 (every LED full white). */
export function meanLuminance(frame: PackedFrame): number {
  const count = frame.length / 4;
  let sum = 0;
  for (let i = 0; i < count; i++) sum += ledLuminance(frame, i);
  return count === 0 ? 0 : sum / count;
}

/**
 * Which way a value turns: +1 brighter, -1 darker, 0 no new transition.
 * `anchor` is where its current swing ended, `direction` that swing's way.
 * Moving further the same way extends the swing; turning back counts once it
 * has moved the delta.
 */
function turnOf(value: number, anchor: number, direction: number, delta: number): number {
  const change = value - anchor;
  if (direction !== 0 && change * direction >= 0) return 0;
  if (Math.abs(change) < delta) return 0;
  return change > 0 ? 1 : -1;
}

/** Where a swing ends after `value` was shown: followed while it extends the swing or turns. */
function nextAnchor(value: number, anchor: number, direction: number, turn: number): number {
  return turn !== 0 || (direction !== 0 && (value - anchor) * direction >= 0) ? value : anchor;
}

export class FlashLimiter {
  readonly #maxTransitionsPerSecond: number;
  readonly #delta: number;
  readonly #areaFraction: number;
  /** The tree's mean luminance at the end of its current swing (the tree starts dark), and that swing's way. */
  #meanAnchor = 0;
  #meanDirection = 0;
  /** The same per LED, sized on the first frame (a run's frames all have its LED count). */
  #anchor = new Float64Array(0);
  #direction = new Int8Array(0);
  /** Scratch for the frame being judged: each LED's luminance and turn. */
  #luminance = new Float64Array(0);
  #turn = new Int8Array(0);
  #transitionTimesMs: number[] = [];

  /**
   * @param maxFlashesPerSecond flashes (pairs of transitions) allowed in any one second
   * @param luminanceDelta smallest change of relative luminance (0-1) that counts
   * @param areaFraction share of the LEDs (0-1) whose turning together in one frame is a transition
   */
  constructor(maxFlashesPerSecond: number, luminanceDelta: number, areaFraction: number) {
    this.#maxTransitionsPerSecond = maxFlashesPerSecond * 2;
    this.#delta = luminanceDelta;
    this.#areaFraction = areaFraction;
  }

  /** True if the frame may be shown now (and it is then recorded); false to hold it back. */
  admit(frame: PackedFrame, nowMs: number): boolean {
    const count = frame.length / 4;
    if (this.#anchor.length !== count) this.#resize(count);
    let sum = 0;
    let turning = 0;
    for (let led = 0; led < count; led++) {
      const luminance = ledLuminance(frame, led);
      const turn = turnOf(luminance, this.#anchor[led]!, this.#direction[led]!, this.#delta);
      this.#luminance[led] = luminance;
      this.#turn[led] = turn;
      sum += luminance;
      if (turn !== 0) turning += 1;
    }
    const mean = count === 0 ? 0 : sum / count;
    const meanTurn = turnOf(mean, this.#meanAnchor, this.#meanDirection, this.#delta);

    if (meanTurn !== 0 || (turning > 0 && turning >= count * this.#areaFraction)) {
      const recent = this.#transitionTimesMs.filter((time) => nowMs - time < 1000);
      this.#transitionTimesMs = recent;
      if (recent.length >= this.#maxTransitionsPerSecond) return false;
      recent.push(nowMs);
    }
    // Shown: every swing moves on, including the small ones that were no flash.
    for (let led = 0; led < count; led++) {
      const turn = this.#turn[led]!;
      this.#anchor[led] = nextAnchor(this.#luminance[led]!, this.#anchor[led]!, this.#direction[led]!, turn);
      if (turn !== 0) this.#direction[led] = turn;
    }
    this.#meanAnchor = nextAnchor(mean, this.#meanAnchor, this.#meanDirection, meanTurn);
    if (meanTurn !== 0) this.#meanDirection = meanTurn;
    return true;
  }

  #resize(count: number): void {
    this.#anchor = new Float64Array(count);
    this.#direction = new Int8Array(count);
    this.#luminance = new Float64Array(count);
    this.#turn = new Int8Array(count);
  }
}
