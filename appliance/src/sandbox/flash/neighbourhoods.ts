/**
 * Which LEDs a viewer sees as one patch of light. Each LED's neighbourhood is
 * itself and the LEDs around it in space (getLEDPositions()'s layout), at most
 * the 13 nearest, weighted by a Gaussian 1.5 times as wide as the distance to
 * that LED's nearest neighbour. Blending that far turns a pattern one to three
 * LEDs fine (a theater chase, a sparkle) into the even glow it is from a few
 * metres away, and no further: regions flashing in opposite phase a few LEDs
 * apart or more stay apart (along a strip a period-3 chase keeps 1 % of its
 * contrast; an LED two spacings away weighs 0.41 of the LED itself, four
 * spacings away 0.03, beyond that 0). The width follows the local spacing:
 * the default cone is denser at its tip.
 */
import type { LedPosition } from "../../layout/positions.ts";

/** Gaussian width as a multiple of the distance to the nearest neighbour. */
export const blendWidthPerSpacing = 1.5;
/** Weights beyond this many widths are dropped (below 2 % of the centre's). */
export const blendCutoffWidths = 2.8;
/**
 * At most this many LEDs, the LED itself included, in a neighbourhood: the LED
 * and about two rings of neighbours where LEDs spread over the tree's surface
 * (along a dense strip the reach allows only nine). Without it a sparse tree
 * (the default cone at 100 LEDs) would blend half of itself into one region.
 */
export const maxMembers = 13;

/** Neighbourhoods in compressed rows: LED i blends leds[start[i] .. start[i + 1]) with those weights (summing to 1). */
export interface Neighbourhoods {
  readonly start: Int32Array;
  readonly leds: Int32Array;
  readonly weights: Float64Array;
}

/** The last layout's neighbourhoods: every run on the tree has the same layout, and building them is O(n²). */
let last: { key: string; hoods: Neighbourhoods } | undefined;

export function neighbourhoods(positions: readonly LedPosition[]): Neighbourhoods {
  const key = positions.join(";");
  if (last?.key !== key) last = { key, hoods: buildNeighbourhoods(positions) };
  return last.hoods;
}

/** The same, always built afresh. */
export function buildNeighbourhoods(positions: readonly LedPosition[]): Neighbourhoods {
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
  const candidates: { led: number; d: number }[] = [];
  for (let i = 0; i < count; i++) {
    start[i] = leds.length;
    const width2 = nearest[i]! * blendWidthPerSpacing ** 2; // Infinity for a lone LED: only itself
    const reach2 = width2 * blendCutoffWidths ** 2;
    candidates.length = 0;
    for (let j = 0; j < count; j++) {
      const d = squared(i, j);
      if (j === i || d < reach2) candidates.push({ led: j, d });
    }
    // The nearest few only: where LEDs spread over a surface, the reach holds many more.
    if (candidates.length > maxMembers) candidates.sort((a, b) => a.d - b.d || a.led - b.led).length = maxMembers;
    let total = 0;
    const first = leds.length;
    for (const { led, d } of candidates) {
      const weight = d === 0 ? 1 : Math.exp(-d / (2 * width2));
      leds.push(led);
      weights.push(weight);
      total += weight;
    }
    for (let k = first; k < weights.length; k++) weights[k]! /= total;
  }
  start[count] = leds.length;
  return { start, leds: Int32Array.from(leds), weights: Float64Array.from(weights) };
}
