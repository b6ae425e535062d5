/**
 * The light the strip really emits for a frame, per colour channel, as a share
 * of full drive (0 dark, 1 the channel at 255 with L = 100 and no cap).
 *
 * WS281x LEDs have no gamma: the PWM duty, and so the light, is linear in the
 * byte they are sent. The daemon sends floor(v × L × cap / 10000) and, when the
 * frame would draw more than its power budget, scales every channel of the
 * frame by one factor (its current limiter, gpio-daemon/src/limiter.ts). This
 * module repeats that arithmetic so the flash model judges the light visitors
 * see, not the numbers the program wrote. emitted-light.test.ts holds the two
 * to agreement.
 */
import type { PackedFrame } from "../../../../protocol/frame.ts";
import { channelMax, levelMax } from "../../../../protocol/limits.ts";

export interface EmissionSettings {
  /** The daemon's global brightness cap (its `info` reply says which). */
  brightnessCapPercent: number;
  /**
   * The largest sum of shown channel bytes the daemon's power budget allows;
   * undefined when unknown, and then the limiter is taken never to act. That
   * is conservative for every LED on its own (the limiter only lowers light),
   * not for the whole: see appliance/runner/FLASH.md.
   */
  maxChannelSum?: number;
}

/** Assumed when the daemon has not said: full drive, no limiter. Emitted light can only be lower. */
export const fullDrive: EmissionSettings = { brightnessCapPercent: 100 };

export class EmittedLight {
  /** Row L maps a channel byte to the byte the daemon sends: floor(v × L × cap / 10000). */
  readonly #levelTables = new Uint8Array((levelMax + 1) * 256);
  readonly #maxChannelSum: number;
  /** Scratch: the sent bytes of the frame being converted. */
  #sent = new Uint8Array(0);

  constructor(settings: EmissionSettings) {
    const cap = settings.brightnessCapPercent;
    if (!Number.isInteger(cap) || cap < 0 || cap > 100) throw new RangeError(`brightnessCapPercent must be an integer 0-100, got ${cap}`);
    for (let level = 0; level <= levelMax; level++) {
      for (let v = 0; v <= channelMax; v++) this.#levelTables[level * 256 + v] = Math.floor((v * level * cap) / (levelMax * 100));
    }
    this.#maxChannelSum = settings.maxChannelSum ?? Number.POSITIVE_INFINITY;
  }

  /** Writes R, G, B light (0-1) per LED of `frame` into `out` (3 per LED). */
  convert(frame: PackedFrame, out: Float64Array): void {
    const leds = frame.length >> 2;
    if (this.#sent.length !== leds * 3) this.#sent = new Uint8Array(leds * 3);
    const sent = this.#sent;
    const tables = this.#levelTables;
    let sum = 0;
    for (let led = 0, i = 0, o = 0; led < leds; led++, i += 4, o += 3) {
      const row = frame[i + 3]! << 8;
      const r = tables[row + frame[i]!]!;
      const g = tables[row + frame[i + 1]!]!;
      const b = tables[row + frame[i + 2]!]!;
      sent[o] = r;
      sent[o + 1] = g;
      sent[o + 2] = b;
      sum += r + g + b;
    }
    if (sum <= this.#maxChannelSum) {
      for (let o = 0; o < leds * 3; o++) out[o] = sent[o]! / channelMax;
      return;
    }
    // The daemon's limiter: every channel × maxChannelSum / sum, rounded down.
    const max = this.#maxChannelSum;
    for (let o = 0; o < leds * 3; o++) out[o] = Math.floor((sent[o]! * max) / sum) / channelMax;
  }
}
