/**
 * The flash guard's CPU per frame, at 300 and 2048 LEDs, beside the per-frame
 * limiter it replaced (bench/flash-limiter-v1.ts), in the same run. Two
 * workloads: a rainbow (every frame shown: one judgement per frame) and a
 * strobe (most frames softened: up to seven judgements per frame, the worst
 * case). Also the one-off cost of building the neighbourhoods for a run. The
 * frame budget at 60 frames/s is 16.7 ms; the guard must be a small share.
 */
import { ledPositions } from "../appliance/src/layout/positions.ts";
import { FlashGuard } from "../appliance/src/sandbox/flash/flash-guard.ts";
import { buildNeighbourhoods } from "../appliance/src/sandbox/flash/neighbourhoods.ts";
import { sandboxLimits } from "../appliance/src/sandbox/limits.ts";
import { FlashLimiter } from "./flash-limiter-v1.ts";

const frameBudgetUs = 1_000_000 / sandboxLimits.maxFramesPerSecond;

function frames(ledCount: number, kind: "rainbow" | "strobe"): Uint8Array[] {
  return Array.from({ length: 120 }, (_, index) => {
    const frame = new Uint8Array(ledCount * 4);
    for (let led = 0; led < ledCount; led++) {
      if (kind === "strobe") {
        frame.set(index % 2 === 0 ? [255, 255, 255, 100] : [0, 0, 0, 0], led * 4);
      } else {
        const hue = ((led / ledCount + index / 240) % 1) * 3;
        const part = Math.round((hue % 1) * 255);
        frame.set(hue < 1 ? [255 - part, part, 0, 100] : hue < 2 ? [0, 255 - part, part, 100] : [part, 0, 255 - part, 100], led * 4);
      }
    }
    return frame;
  });
}

/** Microseconds per admitted frame, frames 1/60 s apart, for at least 600 ms. */
function perFrameUs(admit: (frame: Uint8Array, nowMs: number) => unknown, workload: Uint8Array[]): number {
  let clockMs = 0;
  for (let i = 0; i < 120; i++) admit(workload[i % workload.length]!, (clockMs += 1000 / 60));
  let count = 0;
  const started = performance.now();
  while (performance.now() - started < 600) {
    for (let i = 0; i < 60; i++) admit(workload[count++ % workload.length]!, (clockMs += 1000 / 60));
  }
  return ((performance.now() - started) * 1000) / count;
}

console.log("leds  workload  guard µs/frame  v1 limiter µs/frame  guard / v1  guard share of a 60 fps frame");
for (const ledCount of [300, 2048]) {
  const positions = ledPositions(ledCount);
  for (const kind of ["rainbow", "strobe"] as const) {
    const workload = frames(ledCount, kind);
    const guard = new FlashGuard(positions, sandboxLimits);
    const v1 = new FlashLimiter(sandboxLimits.maxFlashesPerSecond, sandboxLimits.flashLuminanceDelta, sandboxLimits.flashAreaFraction);
    const guardUs = perFrameUs((frame, now) => guard.admit(frame, now), workload);
    const v1Us = perFrameUs((frame, now) => v1.admit(frame, now), workload);
    console.log(
      `${String(ledCount).padStart(4)}  ${kind.padEnd(8)}  ${guardUs.toFixed(1).padStart(14)}  ${v1Us.toFixed(1).padStart(19)}  ${(guardUs / v1Us).toFixed(1).padStart(9)}×  ${((guardUs / frameBudgetUs) * 100).toFixed(2).padStart(28)} %`,
    );
  }
  const started = performance.now();
  buildNeighbourhoods(positions);
  console.log(`${String(ledCount).padStart(4)}  neighbourhoods, built once per layout (runs on the same tree reuse them): ${(performance.now() - started).toFixed(1)} ms`);
}
