/**
 * Where each LED sits on the tree, in the "GIFT" convention a famous public
 * tree used: x and y from -1 to 1 across the tree, z from 0 at the bottom up.
 * The default is a spiral up a cone, like a strip wound round a tree from the
 * bottom. Pure and side-effect free: the web app serves it at /api/layout and
 * the live view draws it.
 */
import { maxLedCount } from "../../../protocol/limits.ts";

export type LedPosition = [x: number, y: number, z: number];

/** The cone's shape. */
export const defaultLayout = {
  /** Height of the tip above the bottom ring, in the units of x and y (the bottom radius is 1). */
  heightUnits: 2.5,
  /** Times the strip goes round the tree. */
  turns: 8,
} as const;

const round4 = (value: number) => Math.round(value * 10_000) / 10_000 + 0; // + 0: no -0 in JSON

export function ledPositions(ledCount: number, layout: { heightUnits: number; turns: number } = defaultLayout): LedPosition[] {
  if (!Number.isInteger(ledCount) || ledCount < 1 || ledCount > maxLedCount) {
    throw new RangeError(`ledCount must be an integer 1-${maxLedCount}, got ${ledCount}`);
  }
  const positions: LedPosition[] = [];
  for (let led = 0; led < ledCount; led++) {
    // Fraction of the way up; the last LED stops just short of the tip.
    const up = ledCount === 1 ? 0 : led / ledCount;
    const radius = 1 - up;
    const angle = 2 * Math.PI * layout.turns * up;
    positions.push([round4(radius * Math.cos(angle)), round4(radius * Math.sin(angle)), round4(up * layout.heightUnits)]);
  }
  return positions;
}
