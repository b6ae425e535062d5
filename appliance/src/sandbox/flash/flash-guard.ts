/**
 * Photosensitive safety on the light the tree really emits (see
 * appliance/runner/FLASH.md for the model, its sources and thresholds).
 *
 * Every frame is judged before it is shown:
 *  1. emitted light per LED and channel (emitted-light.ts: linear drive, L,
 *     the brightness cap, the current limiter);
 *  2. blended over each LED's neighbourhood (neighbourhoods.ts), giving each
 *     region's relative luminance and its red content;
 *  3. each region's transitions counted in a sliding one-second window:
 *     general flashes on relative luminance, red flashes on saturated red;
 *  4. the frame breaks the limit when the regions that would have more than
 *     `maxFlashesPerSecond` flashes of either kind in the last second make up
 *     more than `flashAreaFraction` of the tree, in whatever phase they flash.
 * A frame that breaks the limit is softened: blended toward the frame shown
 * before, as far toward the program's frame as the limit allows, or held (the
 * previous frame stays) when no step toward it fits. It is never shown as is.
 */
import type { PackedFrame } from "../../../../protocol/frame.ts";
import { channelMax, levelMax } from "../../../../protocol/limits.ts";
import type { LedPosition } from "../../layout/positions.ts";
import { EmittedLight, fullDrive, type EmissionSettings } from "./emitted-light.ts";
import { neighbourhoods, type Neighbourhoods } from "./neighbourhoods.ts";
import { movesAnchor, TransitionTimes, turnOf } from "./swings.ts";

/** The thresholds, all from sandboxLimits (limits.ts). */
export interface FlashLimits {
  /** Flashes (pairs of opposite transitions) a region may make in any one second. */
  maxFlashesPerSecond: number;
  /** Smallest change of relative luminance (0-1 of full white) that is a general-flash transition. */
  flashLuminanceDelta: number;
  /** A change whose darker state is at or above this relative luminance is no transition. */
  flashDarkerLuminanceMax: number;
  /** Share of the tree (0-1) allowed to flash faster than the limit. */
  flashAreaFraction: number;
  /** Smallest change of max(0, R - G - B) in emitted light (0-1) that is a red-flash transition. */
  redFlashDelta: number;
  /** A state is saturated red when R is at least this share of R + G + B. */
  saturatedRedShare: number;
}

export type FlashVerdict =
  | { action: "shown"; frame: PackedFrame }
  | { action: "softened"; frame: PackedFrame }
  | { action: "held" };

const windowMs = 1000;
/** Halvings tried when looking for the largest step toward a frame that fits the limit. */
const softenSteps = 5;

export class FlashGuard {
  readonly #limits: FlashLimits;
  readonly #count: number;
  readonly #hoods: Neighbourhoods;
  readonly #emission: EmittedLight;
  /** Transitions that make "more than maxFlashesPerSecond" flashes. */
  readonly #tooMany: number;

  // What each region last swung to, and which way (the tree starts dark).
  readonly #anchorLuminance: Float64Array;
  readonly #luminanceWay: Int8Array;
  readonly #anchorRed: Float64Array;
  readonly #anchorSaturated: Uint8Array;
  readonly #redWay: Int8Array;
  readonly #luminanceTimes: TransitionTimes;
  readonly #redTimes: TransitionTimes;
  /** The frame shown last (dark before the first). */
  readonly #shown: Uint8Array;

  // Scratch for the frame being judged.
  readonly #light: Float64Array;
  readonly #luminance: Float64Array;
  readonly #red: Float64Array;
  readonly #saturated: Uint8Array;
  readonly #luminanceTurn: Int8Array;
  readonly #redTurn: Int8Array;
  readonly #candidate: Uint8Array;

  constructor(positions: readonly LedPosition[], limits: FlashLimits, emission: EmissionSettings = fullDrive) {
    const count = positions.length;
    this.#limits = limits;
    this.#count = count;
    this.#hoods = neighbourhoods(positions);
    this.#emission = new EmittedLight(emission);
    this.#tooMany = 2 * limits.maxFlashesPerSecond + 1;
    this.#anchorLuminance = new Float64Array(count);
    this.#luminanceWay = new Int8Array(count);
    this.#anchorRed = new Float64Array(count);
    this.#anchorSaturated = new Uint8Array(count);
    this.#redWay = new Int8Array(count);
    this.#luminanceTimes = new TransitionTimes(count, this.#tooMany);
    this.#redTimes = new TransitionTimes(count, this.#tooMany);
    this.#shown = new Uint8Array(count * 4);
    this.#light = new Float64Array(count * 3);
    this.#luminance = new Float64Array(count);
    this.#red = new Float64Array(count);
    this.#saturated = new Uint8Array(count);
    this.#luminanceTurn = new Int8Array(count);
    this.#redTurn = new Int8Array(count);
    this.#candidate = new Uint8Array(count * 4);
  }

  /** Judges a frame (4 bytes per LED, as many LEDs as positions) shown at `nowMs`, and records what is shown. */
  admit(frame: PackedFrame, nowMs: number): FlashVerdict {
    if (frame.length !== this.#count * 4) throw new RangeError(`expected a frame of ${this.#count} LEDs, got ${frame.length / 4}`);
    if (this.#judge(frame, nowMs)) {
      this.#commit(frame, nowMs);
      return { action: "shown", frame };
    }
    // The largest step toward the frame that keeps within the limit (a step of 0 always does).
    let fits = 0;
    let fails = 1;
    for (let step = 0; step < softenSteps; step++) {
      const share = (fits + fails) / 2;
      this.#blendToward(frame, share);
      if (this.#judge(this.#candidate, nowMs)) fits = share;
      else fails = share;
    }
    if (fits === 0) return { action: "held" };
    this.#blendToward(frame, fits);
    this.#judge(this.#candidate, nowMs);
    this.#commit(this.#candidate, nowMs);
    return { action: "softened", frame: this.#candidate.slice() };
  }

  /** Fills the candidate with the shown frame moved `share` (0-1) of the way to `frame`, in emitted light. */
  #blendToward(frame: PackedFrame, share: number): void {
    const shown = this.#shown;
    const out = this.#candidate;
    for (let i = 0; i < out.length; i += 4) {
      const fromLevel = shown[i + 3]! / levelMax;
      const toLevel = frame[i + 3]! / levelMax;
      for (let c = 0; c < 3; c++) {
        const from = shown[i + c]! * fromLevel;
        const to = frame[i + c]! * toLevel;
        out[i + c] = Math.min(channelMax, Math.round(from + (to - from) * share));
      }
      out[i + 3] = levelMax;
    }
  }

  /** Fills the scratch for `frame`; true when showing it keeps the tree within the limit. */
  #judge(frame: PackedFrame, nowMs: number): boolean {
    const limits = this.#limits;
    const light = this.#light;
    const { start, leds, weights } = this.#hoods;
    this.#emission.convert(frame, light);
    const since = nowMs - windowMs;
    const tooMany = this.#tooMany;
    let luminanceOver = 0;
    let redOver = 0;
    for (let region = 0; region < this.#count; region++) {
      let r = 0;
      let g = 0;
      let b = 0;
      for (let k = start[region]!, end = start[region + 1]!; k < end; k++) {
        const o = leds[k]! * 3;
        const w = weights[k]!;
        r += w * light[o]!;
        g += w * light[o + 1]!;
        b += w * light[o + 2]!;
      }
      // Relative luminance of the emitted light (Rec. 709 / sRGB primaries, on linear values).
      const luminance = 0.2126 * r + 0.7152 * g + 0.0722 * b;
      let turn = turnOf(luminance, this.#anchorLuminance[region]!, this.#luminanceWay[region]!, limits.flashLuminanceDelta);
      if (turn !== 0 && Math.min(luminance, this.#anchorLuminance[region]!) >= limits.flashDarkerLuminanceMax) turn = 0;
      this.#luminance[region] = luminance;
      this.#luminanceTurn[region] = turn;
      // With this frame's transition, is this the (tooMany)th within a second? Without one, were there already that many?
      if (this.#luminanceTimes.recent(region, turn !== 0 ? tooMany - 1 : tooMany) > since) luminanceOver += 1;

      const red = Math.max(0, r - g - b);
      const saturated = r > 0 && r >= limits.saturatedRedShare * (r + g + b) ? 1 : 0;
      let redTurn = turnOf(red, this.#anchorRed[region]!, this.#redWay[region]!, limits.redFlashDelta);
      if (redTurn !== 0 && saturated === 0 && this.#anchorSaturated[region] === 0) redTurn = 0;
      this.#red[region] = red;
      this.#saturated[region] = saturated;
      this.#redTurn[region] = redTurn;
      if (this.#redTimes.recent(region, redTurn !== 0 ? tooMany - 1 : tooMany) > since) redOver += 1;
    }
    const allowed = limits.flashAreaFraction * this.#count;
    return luminanceOver <= allowed && redOver <= allowed;
  }

  /** Records the frame last judged as shown. */
  #commit(frame: PackedFrame, nowMs: number): void {
    for (let region = 0; region < this.#count; region++) {
      const luminance = this.#luminance[region]!;
      const turn = this.#luminanceTurn[region]!;
      if (movesAnchor(luminance, this.#anchorLuminance[region]!, this.#luminanceWay[region]!, turn)) this.#anchorLuminance[region] = luminance;
      if (turn !== 0) {
        this.#luminanceWay[region] = turn;
        this.#luminanceTimes.push(region, nowMs);
      }
      const red = this.#red[region]!;
      const redTurn = this.#redTurn[region]!;
      if (movesAnchor(red, this.#anchorRed[region]!, this.#redWay[region]!, redTurn)) {
        this.#anchorRed[region] = red;
        this.#anchorSaturated[region] = this.#saturated[region]!;
      }
      if (redTurn !== 0) {
        this.#redWay[region] = redTurn;
        this.#redTimes.push(region, nowMs);
      }
    }
    this.#shown.set(frame);
  }
}

/** The one note a visitor gets when the guard changed any of their frames: what happened, why, what to do. */
export function flashNote(limits: Pick<FlashLimits, "maxFlashesPerSecond" | "flashAreaFraction">): string {
  return (
    `The tree smoothed some fast flashing: more than ${limits.maxFlashesPerSecond} flashes per second ` +
    `over ${limits.flashAreaFraction * 100}% of the tree or more (or fast flashes of deep red) can trigger seizures ` +
    "in people with photosensitive epilepsy, so those frames were blended into the one before. " +
    "Flash more slowly, or only a small part of the tree, and your animation shows as you wrote it."
  );
}
