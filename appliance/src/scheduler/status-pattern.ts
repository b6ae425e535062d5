/**
 * The tree's own status colours (docs/OPERATOR.md, "What the tree's colours
 * mean"): while the queue is empty and the host is not ready, a dim pattern
 * tells the operator across the room what the appliance is doing. Pure: a
 * pattern and a time give a frame. Every pattern is dim (L at most
 * `statusLevelMax`) and slow, so it passes the appliance's own flash guard
 * (status-pattern.test.ts runs them through it).
 */
import type { PackedFrame } from "../../../protocol/frame.ts";
import type { HostPhase } from "../host-status/schema.ts";

export type StatusPattern = "booting" | "waiting-for-network" | "hotspot-fallback" | "led-fault" | "ready-sweep";

/** The brightest L (0-100) any status pattern uses. */
export const statusLevelMax = 30;
/** One breath of a pulse. */
export const statusPulsePeriodMs = 4000;
/** The fault's blink: on for half of it, off for the other half (0.5 Hz, under the 1 Hz the contract allows). */
export const faultBlinkPeriodMs = 2000;
/** How long the green sweep shows after the host turns ready. */
export const readySweepMs = 3000;
/** Status patterns light every n-th LED: enough to read across a room, little current. */
export const statusLedSpacing = 10;

type Rgb = readonly [number, number, number];
const colours: Record<Exclude<StatusPattern, "ready-sweep">, Rgb> = {
  booting: [255, 140, 0], // amber
  "waiting-for-network": [0, 70, 255], // blue
  "hotspot-fallback": [200, 0, 255], // purple/magenta
  "led-fault": [255, 0, 0], // red
};
const green: Rgb = [0, 255, 40];

/**
 * Which pattern replaces the idle show: null when it should run as usual (the
 * host is ready, or this is not an appliance). A host status that is expected
 * but missing or invalid counts as booting: the tree is not known to be ready.
 */
export function statusPatternFor(phase: HostPhase | null | undefined): Exclude<StatusPattern, "ready-sweep"> | null {
  if (phase === undefined || phase === "ready") return null;
  return phase ?? "booting";
}

/** A pulse's level at `tMs`: a raised cosine from dark-ish to statusLevelMax and back. */
function pulseLevel(tMs: number): number {
  const phase = (tMs % statusPulsePeriodMs) / statusPulsePeriodMs;
  const low = 4;
  return Math.round(low + ((statusLevelMax - low) * (1 - Math.cos(2 * Math.PI * phase))) / 2);
}

function set(frame: Uint8Array, led: number, [r, g, b]: Rgb, level: number): void {
  frame.set([r, g, b, level], led * 4);
}

/** The frame of `pattern` at `tMs` after it began, for `ledCount` LEDs (R, G, B, L bytes per LED). */
export function statusFrame(pattern: StatusPattern, ledCount: number, tMs: number): PackedFrame {
  const frame = new Uint8Array(ledCount * 4);
  if (pattern === "ready-sweep") {
    // A green band climbs the strip (it winds up the tree) once over readySweepMs, with soft edges.
    const band = Math.max(3, ledCount / 6);
    const head = (Math.min(tMs, readySweepMs) / readySweepMs) * (ledCount + band);
    for (let led = 0; led < ledCount; led++) {
      const distance = head - led;
      if (distance < 0 || distance > band) continue;
      const shape = Math.sin((Math.PI * distance) / band);
      set(frame, led, green, Math.round(statusLevelMax * shape));
    }
    return frame;
  }
  const level = pattern === "led-fault" ? (tMs % faultBlinkPeriodMs < faultBlinkPeriodMs / 2 ? statusLevelMax : 0) : pulseLevel(tMs);
  for (let led = 0; led < ledCount; led += statusLedSpacing) set(frame, led, colours[pattern], level);
  return frame;
}
