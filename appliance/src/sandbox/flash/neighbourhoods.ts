/**
 * Which LEDs a viewer sees as one patch of light. Each LED's neighbourhood is
 * itself and the LEDs around it in space (getLEDPositions()'s layout), weighted
 * by a Gaussian whose width is 1.5 times the distance to that LED's nearest
 * neighbour. Blending that far turns a pattern one to three LEDs fine (a
 * theater chase, a sparkle) into the even glow it is from a few metres away,
 * and no further: regions flashing in opposite phase a few LEDs apart or more
 * stay apart (a period-3 chase keeps 1 % of its contrast; an LED two spacings
 * away weighs 0.41 of the LED itself, four spacings away 0.03, beyond that 0).
 * The width follows the local spacing: the default cone is denser at its tip.
 */
import type { LedPosition } from "../../layout/positions.ts";

/** Gaussian width as a multiple of the distance to the nearest neighbour. */
export const blendWidthPerSpacing = 1.5;
/** Weights beyond this many widths are dropped (below 2 % of the centre's). */
export const blendCutoffWidths = 2.8;

/** Neighbourhoods in compressed rows: LED i blends leds[start[i] .. start[i + 1]) with those weights (summing to 1). */
export interface Neighbourhoods {
  readonly start: Int32Array;
  readonly leds: Int32Array;
  readonly weights: Float64Array;
}

export function neighbourhoods(positions: readonly LedPosition[]): Neighbourhoods {
  const count = positions.length;
  const xs = new Float64Array(count);
  const ys = new Float64Array(count);
  const zs = new Float64Array(count);
  positions.forEach(([x, y, z], i) => {
    xs[i] = x;
    ys[i] = y;
    zs[i] = z;
  });
  const squared = (i: number, j: number) => (xs[i]! - xs[j]!) ** 2 + (ys[i]! - ys[j]!) ** 2 + (zs[i]! - zs[j]!) ** 2;

  // Nearest distinct neighbour of each LED (LEDs at one spot blend fully, whatever the width).
  const nearest = new Float64Array(count).fill(Number.POSITIVE_INFINITY);
  for (let i = 0; i < count; i++) {
    for (let j = i + 1; j < count; j++) {
      const d = squared(i, j);
      if (d <= 0) continue;
      if (d < nearest[i]!) nearest[i] = d;
      if (d < nearest[j]!) nearest[j] = d;
    }
  }

  const start = new Int32Array(count + 1);
  const leds: number[] = [];
  const weights: number[] = [];
  for (let i = 0; i < count; i++) {
    start[i] = leds.length;
    const width2 = nearest[i]! * blendWidthPerSpacing ** 2; // Infinity for a lone LED: only itself
    const reach2 = width2 * blendCutoffWidths ** 2;
    let total = 0;
    const first = leds.length;
    for (let j = 0; j < count; j++) {
      const d = squared(i, j);
      if (j !== i && !(d < reach2)) continue;
      const weight = d === 0 ? 1 : Math.exp(-d / (2 * width2));
      leds.push(j);
      weights.push(weight);
      total += weight;
    }
    for (let k = first; k < weights.length; k++) weights[k]! /= total;
  }
  start[count] = leds.length;
  return { start, leds: Int32Array.from(leds), weights: Float64Array.from(weights) };
}
