/**
 * Photosensitive safety (WCAG 2.3.1, "three flashes or below threshold"): a
 * flash is a pair of opposite changes in relative luminance of at least
 * `luminanceDelta`; at most `maxFlashesPerSecond` flashes may happen in any one
 * second. We measure the whole tree's mean relative luminance (sRGB channels
 * linearised, weighted 0.2126/0.7152/0.0722, scaled by L), so a few twinkling
 * LEDs never count and a tree-wide strobe does. A frame that would make one
 * transition too many within the last second is held back (not shown); the
 * tree keeps the previous frame, so what visitors see stays within the limit.
 */
import type { PackedFrame } from "../../../protocol/frame.ts";
import { channelMax, levelMax } from "../../../protocol/limits.ts";

const linear = new Float64Array(channelMax + 1);
for (let v = 0; v <= channelMax; v++) {
  const c = v / channelMax;
  linear[v] = c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
}

/** Mean relative luminance of a packed frame, 0 (dark) to 1 (every LED full white). */
export function meanLuminance(frame: PackedFrame): number {
  let sum = 0;
  for (let i = 0; i < frame.length; i += 4) {
    const y = 0.2126 * linear[frame[i]!]! + 0.7152 * linear[frame[i + 1]!]! + 0.0722 * linear[frame[i + 2]!]!;
    sum += (y * frame[i + 3]!) / levelMax;
  }
  return frame.length === 0 ? 0 : sum / (frame.length / 4);
}

export class FlashLimiter {
  readonly #maxTransitionsPerSecond: number;
  readonly #delta: number;
  /** Luminance at the end of the current swing (the tree starts dark). */
  #anchor = 0;
  /** Direction of the last counted transition: +1 brighter, -1 darker, 0 none yet. */
  #direction = 0;
  #transitionTimesMs: number[] = [];

  constructor(maxFlashesPerSecond: number, luminanceDelta: number) {
    this.#maxTransitionsPerSecond = maxFlashesPerSecond * 2;
    this.#delta = luminanceDelta;
  }

  /** True if the frame may be shown now (and it is then recorded); false to hold it back. */
  admit(frame: PackedFrame, nowMs: number): boolean {
    const luminance = meanLuminance(frame);
    // Moving further the same way extends the current swing: no new transition.
    if (this.#direction !== 0 && (luminance - this.#anchor) * this.#direction >= 0) {
      this.#anchor = luminance;
      return true;
    }
    if (Math.abs(luminance - this.#anchor) < this.#delta) return true;
    const recent = this.#transitionTimesMs.filter((time) => nowMs - time < 1000);
    if (recent.length >= this.#maxTransitionsPerSecond) {
      this.#transitionTimesMs = recent;
      return false;
    }
    recent.push(nowMs);
    this.#transitionTimesMs = recent;
    this.#direction = luminance > this.#anchor ? 1 : -1;
    this.#anchor = luminance;
    return true;
  }
}
