/**
 * How an LED colour is drawn on screen. Real LEDs look bright even at low drive levels, so a plain
 * copy of dimmed values looks far darker on a screen than on the tree: lift them with a gamma curve.
 */
const lift = 0.5;
const table = Array.from({ length: 256 }, (_, value) => Math.round(255 * Math.pow(value / 255, lift)));

export function displayLevel(value: number): number {
  return table[Math.max(0, Math.min(255, Math.round(value)))]!;
}

/** Below this sum of channels an LED counts as off and is drawn as a faint bulb. */
export const offThreshold = 12;
