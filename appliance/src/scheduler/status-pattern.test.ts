import { describe, expect, it } from "vitest";
import { hostPhases } from "../host-status/schema.ts";
import { ledPositions } from "../layout/positions.ts";
import { FlashGuard } from "../sandbox/flash/flash-guard.ts";
import { sandboxLimits } from "../sandbox/limits.ts";
import { faultBlinkPeriodMs, readySweepMs, statusFrame, statusLedSpacing, statusLevelMax, statusPatternFor, type StatusPattern } from "./status-pattern.ts";
import { statusFramesPerSecond } from "./status-show.ts";

const patterns: StatusPattern[] = ["booting", "waiting-for-network", "hotspot-fallback", "led-fault", "ready-sweep"];
const ledsOf = (frame: Uint8Array) => Array.from({ length: frame.length / 4 }, (_, led) => [...frame.subarray(led * 4, led * 4 + 4)]);

describe("statusPatternFor", () => {
  it("replaces the idle show for every phase but ready, and never off an appliance", () => {
    expect(Object.fromEntries(hostPhases.map((phase) => [phase, statusPatternFor(phase)]))).toEqual({
      booting: "booting",
      "waiting-for-network": "waiting-for-network",
      "hotspot-fallback": "hotspot-fallback",
      ready: null,
      "led-fault": "led-fault",
    });
    expect(statusPatternFor(undefined)).toBeNull();
    // Expected but missing or invalid: not known to be ready.
    expect(statusPatternFor(null)).toBe("booting");
  });
});

describe("statusFrame", () => {
  it("lights only every n-th LED, dimly, in the phase's colour", () => {
    const frame = ledsOf(statusFrame("booting", 100, 2000));
    frame.forEach(([r, g, b, level], led) => {
      if (led % statusLedSpacing === 0) {
        expect([r, g, b]).toEqual([255, 140, 0]);
        expect(level).toBeGreaterThan(0);
        expect(level).toBeLessThanOrEqual(statusLevelMax);
      } else expect(level).toBe(0);
    });
    expect(ledsOf(statusFrame("waiting-for-network", 20, 2000))[10]!.slice(0, 3)).toEqual([0, 70, 255]);
    expect(ledsOf(statusFrame("hotspot-fallback", 20, 2000))[10]!.slice(0, 3)).toEqual([200, 0, 255]);
  });

  it("blinks red for a fault at most once a second", () => {
    expect(ledsOf(statusFrame("led-fault", 20, 100))[0]).toEqual([255, 0, 0, statusLevelMax]);
    expect(ledsOf(statusFrame("led-fault", 20, faultBlinkPeriodMs * 0.75))[0]![3]).toBe(0);
    expect(faultBlinkPeriodMs).toBeGreaterThanOrEqual(1000);
  });

  it("sweeps green up the strip within readySweepMs, then is dark", () => {
    const litAt = (tMs: number) => ledsOf(statusFrame("ready-sweep", 100, tMs)).flatMap(([, g, , level], led) => (level! > 0 && g === 255 ? [led] : []));
    const early = litAt(readySweepMs * 0.2);
    const late = litAt(readySweepMs * 0.7);
    expect(early.length).toBeGreaterThan(0);
    expect(Math.min(...late)).toBeGreaterThan(Math.max(...early) - 1);
    expect(litAt(readySweepMs)).toEqual([]);
  });

  it("never asks for more than statusLevelMax", () => {
    for (const pattern of patterns) {
      for (let tMs = 0; tMs < 8000; tMs += 97) {
        for (const [, , , level] of ledsOf(statusFrame(pattern, 60, tMs))) expect(level).toBeLessThanOrEqual(statusLevelMax);
      }
    }
  });
});

describe("the status patterns and the flash guard", () => {
  // Full drive (no brightness cap, no limiter): the worst case for flashing.
  it.each(patterns)("%s passes the appliance's own flash guard unchanged, at every LED count tried", (pattern) => {
    for (const ledCount of [10, 50, 100, 300]) {
      const guard = new FlashGuard(ledPositions(ledCount), sandboxLimits);
      const frameMs = 1000 / statusFramesPerSecond;
      const verdicts = new Map<string, number>();
      for (let tMs = 0; tMs <= 20_000; tMs += frameMs) {
        const verdict = guard.admit(statusFrame(pattern, ledCount, pattern === "ready-sweep" ? tMs % readySweepMs : tMs), tMs);
        verdicts.set(verdict.action, (verdicts.get(verdict.action) ?? 0) + 1);
      }
      expect([ledCount, Object.fromEntries(verdicts)]).toEqual([ledCount, { shown: Math.floor(20_000 / frameMs) + 1 }]);
    }
  });

  // The patterns light a tenth of the LEDs, under the guard's area limit; these two hold the blink's
  // timing to the guard on every LED, so the rate alone is safe and the guard is seen to object.
  const wholeStripBlink = (ledCount: number, periodMs: number, tMs: number) => {
    const on = tMs % periodMs < periodMs / 2;
    const frame = new Uint8Array(ledCount * 4);
    for (let led = 0; led < ledCount; led++) frame.set([255, 0, 0, on ? statusLevelMax : 0], led * 4);
    return frame;
  };
  const actionsOf = (periodMs: number) => {
    const guard = new FlashGuard(ledPositions(100), sandboxLimits);
    const actions = new Set<string>();
    for (let tMs = 0; tMs <= 5000; tMs += 1000 / statusFramesPerSecond) actions.add(guard.admit(wholeStripBlink(100, periodMs, tMs), tMs).action);
    return [...actions];
  };

  it("passes the fault's blink rate even on every LED at once", () => {
    expect(actionsOf(faultBlinkPeriodMs)).toEqual(["shown"]);
  });

  it("objects to the same red blink at 4 Hz on every LED", () => {
    expect(actionsOf(250).some((action) => action !== "shown")).toBe(true);
  });
});
