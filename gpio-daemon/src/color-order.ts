/**
 * Colour order: the strip wants its bytes in its own order (WS2812: G, R, B).
 * RGBW strips get a fourth, white byte: we extract W = min(R, G, B) and take it
 * out of R, G and B, so a white pixel lights the white chip instead of three
 * colour chips. That never raises the current: the white chip draws about what
 * one colour chip does, and it replaces three.
 */
import { bytesPerLed, type ColorOrder } from "./drivers/driver.ts";

const channelIndex = { R: 0, G: 1, B: 2, W: 3 } as const;

export interface WireLayout {
  readonly order: ColorOrder;
  readonly bytesPerLed: 3 | 4;
  /** Wire byte k of each LED carries channel sources[k] (0 R, 1 G, 2 B, 3 W). */
  readonly sources: readonly number[];
}

export function wireLayout(order: ColorOrder): WireLayout {
  const sources = [...order].map((letter) => channelIndex[letter as keyof typeof channelIndex]);
  return { order, bytesPerLed: bytesPerLed(order), sources };
}

/** Writes R, G, B bytes (3 per LED) as wire bytes into `wire` (bytesPerLed per LED). */
export function rgbToWire(rgb: Uint8Array, layout: WireLayout, wire: Uint8Array): void {
  const [s0, s1, s2, s3] = layout.sources as [number, number, number, number?];
  const leds = rgb.length / 3;
  const channels = [0, 0, 0, 0];
  if (layout.bytesPerLed === 3) {
    for (let led = 0, i = 0, o = 0; led < leds; led++, i += 3, o += 3) {
      wire[o] = rgb[i + s0]!;
      wire[o + 1] = rgb[i + s1]!;
      wire[o + 2] = rgb[i + s2]!;
    }
    return;
  }
  for (let led = 0, i = 0, o = 0; led < leds; led++, i += 3, o += 4) {
    const r = rgb[i]!, g = rgb[i + 1]!, b = rgb[i + 2]!;
    const w = r < g ? (r < b ? r : b) : g < b ? g : b;
    channels[0] = r - w;
    channels[1] = g - w;
    channels[2] = b - w;
    channels[3] = w;
    wire[o] = channels[s0]!;
    wire[o + 1] = channels[s1]!;
    wire[o + 2] = channels[s2]!;
    wire[o + 3] = channels[s3!]!;
  }
}

/** Undoes `rgbToWire`: R, G, B bytes per LED in strip order, white folded back in. */
export function wireToRgb(wire: Uint8Array, layout: WireLayout, rgb: Uint8Array = new Uint8Array((wire.length / layout.bytesPerLed) * 3)): Uint8Array {
  const channels = [0, 0, 0, 0];
  const step = layout.bytesPerLed;
  for (let i = 0, o = 0; i < wire.length; i += step, o += 3) {
    channels[3] = 0;
    for (let k = 0; k < step; k++) channels[layout.sources[k]!] = wire[i + k]!;
    rgb[o] = Math.min(255, channels[0]! + channels[3]!);
    rgb[o + 1] = Math.min(255, channels[1]! + channels[3]!);
    rgb[o + 2] = Math.min(255, channels[2]! + channels[3]!);
  }
  return rgb;
}
