/**
 * The guard against the patterns of issue 13, judged by a measure written here
 * from scratch: the light comes from the daemon's own code (limitFrame), each
 * region is blended by a brute-force loop, and transitions are found by
 * walking turning points and counted in every one-second window. Nothing of
 * the guard's arithmetic is reused, only the definitions it implements.
 */
import { describe, expect, test } from "vitest";
import type { PackedFrame } from "../../../../protocol/frame.ts";
import { limitFrame, planLimiter, type LimiterPlan } from "../../../../gpio-daemon/src/limiter.ts";
import { ledPositions, type LedPosition } from "../../layout/positions.ts";
import { sandboxLimits } from "../limits.ts";
import { FlashGuard, flashNote, type FlashVerdict } from "./flash-guard.ts";
import { blendCutoffWidths, blendWidthPerSpacing } from "./neighbourhoods.ts";

const limits = sandboxLimits;
const tooManyTransitions = 2 * limits.maxFlashesPerSecond;

// ---------- The independent measure ----------

type Shown = { timeMs: number; frame: PackedFrame };

const fullDrivePlan = (ledCount: number) =>
  planLimiter({ ledCount, brightnessCapPercent: 100, psuAmps: 10_000, reserveMilliamps: 0, milliampsPerLed: 60, idleMilliampsPerLed: 0 });

/** Each region as [led, weight] pairs: Gaussian of the nearest-neighbour distance × blendWidthPerSpacing, cut where the definition cuts. */
function regionsOf(positions: readonly LedPosition[]): [number, number][][] {
  const distance = (a: number, b: number) => Math.hypot(positions[a]![0] - positions[b]![0], positions[a]![1] - positions[b]![1], positions[a]![2] - positions[b]![2]);
  return positions.map((_, led) => {
    const others = positions.map((__, other) => other).filter((other) => other !== led);
    const nearest = Math.min(...others.map((other) => distance(led, other)));
    const width = nearest * blendWidthPerSpacing;
    const members = positions
      .map((__, other) => other)
      .filter((other) => distance(led, other) < width * blendCutoffWidths)
      .map((other): [number, number] => [other, Math.exp(-(distance(led, other) ** 2) / (2 * width * width))]);
    const total = members.reduce((sum, [, weight]) => sum + weight, 0);
    return members.map(([other, weight]): [number, number] => [other, weight / total]);
  });
}

/** Times at which a series makes a transition: it turns back from its last turning point by `delta`, and `counts` accepts the pair. */
function transitionTimes(series: { timeMs: number; value: number; tag: boolean }[], delta: number, counts: (from: { value: number; tag: boolean }, to: { value: number; tag: boolean }) => boolean): number[] {
  const times: number[] = [];
  let turningPoint = { value: 0, tag: false }; // the tree starts dark
  let rising: boolean | undefined;
  for (const point of series) {
    const goingUp = point.value > turningPoint.value;
    const sameWay = rising !== undefined && goingUp === rising && point.value !== turningPoint.value;
    if (sameWay) {
      turningPoint = point;
    } else if (Math.abs(point.value - turningPoint.value) >= delta && counts(turningPoint, point)) {
      times.push(point.timeMs);
      rising = goingUp;
      turningPoint = point;
    }
  }
  return times;
}

/** Largest share of `perRegion` with more than the allowed transitions in any one-second window. */
function worstShare(perRegion: number[][]): number {
  let worst = 0;
  for (const start of new Set(perRegion.flat())) {
    const fast = perRegion.filter((times) => times.filter((time) => time >= start && time < start + 1000).length > tooManyTransitions).length;
    worst = Math.max(worst, fast / perRegion.length);
  }
  return worst;
}

/** How the shown frames flash, measured on the daemon's light: worst share of regions flashing too often, general and red, and the whole tree's transitions. */
function measure(shown: Shown[], positions: readonly LedPosition[], plan: LimiterPlan = fullDrivePlan(positions.length)) {
  const ledCount = positions.length;
  const regions = regionsOf(positions);
  const light = shown.map(({ frame }) => {
    const bytes = new Uint8Array(ledCount * 3);
    limitFrame(frame, plan, bytes);
    return Array.from(bytes, (byte) => byte / 255);
  });
  const luminanceOf = (r: number, g: number, b: number) => 0.2126 * r + 0.7152 * g + 0.0722 * b;
  const general: number[][] = [];
  const red: number[][] = [];
  for (const members of regions) {
    const rgb = light.map((channels) => {
      let r = 0;
      let g = 0;
      let b = 0;
      for (const [led, weight] of members) {
        r += weight * channels[led * 3]!;
        g += weight * channels[led * 3 + 1]!;
        b += weight * channels[led * 3 + 2]!;
      }
      return [r, g, b] as const;
    });
    general.push(
      transitionTimes(
        rgb.map(([r, g, b], i) => ({ timeMs: shown[i]!.timeMs, value: luminanceOf(r, g, b), tag: false })),
        limits.flashLuminanceDelta,
        (from, to) => Math.min(from.value, to.value) < limits.flashDarkerLuminanceMax,
      ),
    );
    red.push(
      transitionTimes(
        rgb.map(([r, g, b], i) => ({ timeMs: shown[i]!.timeMs, value: Math.max(0, r - g - b), tag: r > 0 && r / (r + g + b) >= limits.saturatedRedShare })),
        limits.redFlashDelta,
        (from, to) => from.tag || to.tag,
      ),
    );
  }
  const tree = transitionTimes(
    light.map((channels, i) => {
      let sum = 0;
      for (let led = 0; led < ledCount; led++) sum += luminanceOf(channels[led * 3]!, channels[led * 3 + 1]!, channels[led * 3 + 2]!);
      return { timeMs: shown[i]!.timeMs, value: sum / ledCount, tag: false };
    }),
    limits.flashLuminanceDelta,
    (from, to) => Math.min(from.value, to.value) < limits.flashDarkerLuminanceMax,
  );
  return { generalShare: worstShare(general), redShare: worstShare(red), treeTransitions: tree, treeTooFast: worstShare([tree]) > 0 };
}

// ---------- Playing patterns through the guard ----------

type State = readonly [number, number, number, number];
type Pattern = (frame: number, ledCount: number, positions: readonly LedPosition[]) => State[];

const off: State = [0, 0, 0, 0];
const white: State = [255, 255, 255, 100];

function pack(states: readonly State[]): PackedFrame {
  const frame = new Uint8Array(states.length * 4);
  states.forEach((state, led) => frame.set(state, led * 4));
  return frame;
}

function play(pattern: Pattern, options: { ledCount: number; fps: number; seconds: number; guard?: FlashGuard }) {
  const positions = ledPositions(options.ledCount);
  const guard = options.guard ?? new FlashGuard(positions, limits);
  const shown: Shown[] = [];
  const wanted: Shown[] = [];
  const tally: Record<FlashVerdict["action"], number> = { shown: 0, softened: 0, held: 0 };
  for (let index = 0; index < options.fps * options.seconds; index++) {
    const timeMs = (index * 1000) / options.fps;
    const frame = pack(pattern(index, options.ledCount, positions));
    wanted.push({ timeMs, frame });
    const verdict = guard.admit(frame, timeMs);
    tally[verdict.action] += 1;
    if (verdict.action !== "held") shown.push({ timeMs, frame: verdict.frame.slice() });
  }
  return { positions, shown, wanted, tally };
}

/** A deterministic generator, so a failure can be replayed. */
function seeded(seed: number) {
  return () => {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    return seed / 2 ** 32;
  };
}

// ---------- The flash patterns: never shown as asked ----------

const red47: State = [255, 0, 0, 47];
/** Green as bright as red47 to the eye: the same relative luminance of emitted light. */
const isoluminantGreen: State = [0, Math.round((0.2126 * Math.floor((255 * 47) / 100)) / 0.7152), 0, 100];

const flashPatterns: [string, Pattern][] = [
  ["grey (88, 88, 88) and black at 30 Hz", (frame, n) => Array(n).fill(frame % 2 === 0 ? [88, 88, 88, 100] : off)],
  ["saturated red at L=47 and black at 30 Hz", (frame, n) => Array(n).fill(frame % 2 === 0 ? red47 : off)],
  ["red and green of equal luminance at 30 Hz", (frame, n) => Array(n).fill(frame % 2 === 0 ? red47 : isoluminantGreen)],
  [
    "eight bands up the tree flashing in opposite phase, 7.5 flashes/s",
    (frame, n, positions) => {
      const top = Math.max(...positions.map(([, , z]) => z));
      return positions.map(([, , z]) => ((Math.min(7, Math.floor((z / top) * 8)) % 2 === 0) === (Math.floor(frame / 4) % 2 === 0) ? white : off));
    },
  ],
  [
    "top and bottom halves swapping, each swap spread over five frames",
    (frame, n) => Array.from({ length: n }, (_, led) => ((led < n / 2) === (Math.floor((frame - (led % 5) + 80) / 8) % 2 === 0) ? white : off)),
  ],
  ["a white strobe at 30 Hz", (frame, n) => Array(n).fill(frame % 2 === 0 ? white : off)],
];

describe("FlashGuard: flash patterns are softened to the limit, measured on emitted light", () => {
  test("the red and green are isoluminant in emitted light", () => {
    const luminance = ([r, g, b, level]: State) => (0.2126 * Math.floor((r * level) / 100) + 0.7152 * Math.floor((g * level) / 100) + 0.0722 * Math.floor((b * level) / 100)) / 255;
    expect(luminance(isoluminantGreen)).toBeCloseTo(luminance(red47), 2);
  });

  for (const ledCount of [100, 300]) {
    test.each(flashPatterns)(`${ledCount} LEDs: %s`, (_, pattern) => {
      const { positions, shown, wanted, tally } = play(pattern, { ledCount, fps: 60, seconds: 3 });
      // The measure sees the pattern as asked for as a hazard...
      const asked = measure(wanted, positions);
      expect(Math.max(asked.generalShare, asked.redShare)).toBeGreaterThan(limits.flashAreaFraction);
      // ...and what was shown as within the limit: no area over a quarter of the tree flashing more than 3 times in any second.
      const result = measure(shown, positions);
      expect(result.generalShare).toBeLessThanOrEqual(limits.flashAreaFraction);
      expect(result.redShare).toBeLessThanOrEqual(limits.flashAreaFraction);
      expect(result.treeTooFast).toBe(false);
      expect(tally.softened + tally.held).toBeGreaterThan(0);
      // Slowed, not frozen: the tree still changes.
      expect(new Set(shown.map(({ frame }) => frame.join())).size).toBeGreaterThan(2);
    });
  }

  test("a softened frame is neither the shown frame nor the asked one, and a second later the full swing is allowed again", () => {
    const positions = ledPositions(20);
    const guard = new FlashGuard(positions, limits);
    const whiteFrame = pack(Array(20).fill(white));
    const dark = pack(Array(20).fill(off));
    const verdicts: FlashVerdict[] = [];
    for (let i = 0; i < 20; i++) verdicts.push(guard.admit(i % 2 === 0 ? whiteFrame : dark, i * 16));
    const changed = verdicts.filter((verdict) => verdict.action !== "shown");
    expect(changed.length).toBeGreaterThan(0);
    for (const verdict of changed) {
      if (verdict.action === "softened") {
        expect([...verdict.frame]).not.toEqual([...whiteFrame]);
        expect([...verdict.frame]).not.toEqual([...dark]);
      }
    }
    // A second after the last flash the full swing is allowed again.
    expect(guard.admit(verdicts.at(-1)?.action === "shown" ? whiteFrame : dark, 5000).action).toBe("shown");
  });

  test("the brightness cap counts: a strobe dimmed below the threshold by the cap passes; the daemon's limiter is modelled when its budget is known", () => {
    const ledCount = 40;
    const positions = ledPositions(ledCount);
    const strobe: Pattern = (frame, n) => Array(n).fill(frame % 2 === 0 ? white : off);
    const dimmed = play(strobe, { ledCount, fps: 60, seconds: 2, guard: new FlashGuard(positions, limits, { brightnessCapPercent: 5 }) });
    expect(dimmed.tally).toMatchObject({ softened: 0, held: 0 });

    // Half the tree steady white, a fifth strobing: on a tight budget the limiter makes the steady half flash too.
    const plan = planLimiter({ ledCount, brightnessCapPercent: 100, psuAmps: 0.6, reserveMilliamps: 0, milliampsPerLed: 60, idleMilliampsPerLed: 0 });
    const partStrobe: Pattern = (frame, n) => Array.from({ length: n }, (_, led) => (led < n / 2 ? white : led < (n * 7) / 10 && frame % 2 === 0 ? white : off));
    const asked = play(partStrobe, { ledCount, fps: 60, seconds: 2, guard: new FlashGuard(positions, { ...limits, flashAreaFraction: 1 }) });
    expect(measure(asked.wanted, positions, plan).generalShare).toBeGreaterThan(limits.flashAreaFraction);
    const known = play(partStrobe, { ledCount, fps: 60, seconds: 2, guard: new FlashGuard(positions, limits, { brightnessCapPercent: 100, maxChannelSum: plan.maxChannelSum }) });
    expect(known.tally.softened + known.tally.held).toBeGreaterThan(0);
    expect(measure(known.shown, positions, plan).generalShare).toBeLessThanOrEqual(limits.flashAreaFraction);
  });

  test("the note says what happened and why, with the limits", () => {
    expect(flashNote(limits)).toContain(`more than ${limits.maxFlashesPerSecond} flashes per second`);
    expect(flashNote(limits)).toContain(`${limits.flashAreaFraction * 100}% of the tree`);
  });
});

// ---------- Ordinary effects: shown untouched ----------

/** Adafruit strandtest's colour wheel: 0-255 round red, green, blue. */
function wheel(position: number): State {
  const p = 255 - (position & 255);
  if (p < 85) return [255 - p * 3, 0, p * 3, 100];
  if (p < 170) return [0, (p - 85) * 3, 255 - (p - 85) * 3, 100];
  return [(p - 170) * 3, 255 - (p - 170) * 3, 0, 100];
}

/** FastLED's Fire2012 (cooling 55, sparking 120) with its heat colours, one frame per call. */
function fire(seed: number): Pattern {
  const random = seeded(seed);
  let heat: number[] = [];
  return (_, n) => {
    if (heat.length !== n) heat = new Array(n).fill(0);
    for (let i = 0; i < n; i++) heat[i] = Math.max(0, heat[i]! - Math.floor(random() * ((55 * 10) / n + 2)));
    for (let k = n - 1; k >= 2; k--) heat[k] = Math.floor((heat[k - 1]! + 2 * heat[k - 2]!) / 3);
    if (random() * 255 < 120) {
      const spark = Math.floor(random() * 7);
      heat[spark] = Math.min(255, heat[spark]! + 160 + Math.floor(random() * 95));
    }
    return heat.map((h): State => {
      const t192 = Math.floor((h * 191) / 255);
      const ramp = (t192 & 0x3f) << 2;
      if (t192 & 0x80) return [255, 255, ramp, 100];
      if (t192 & 0x40) return [255, ramp, 0, 100];
      return [ramp, 0, 0, 100];
    });
  };
}

const theaterChase: Pattern = (frame, n) => Array.from({ length: n }, (_, led) => ((led + frame) % 3 === 0 ? [127, 127, 127, 100] : off));

const effects: [string, number, () => Pattern, number[]][] = [
  ["theater chase (strandtest: every third LED, 127 white), 20 steps/s", 20, () => theaterChase, [100, 300, 2048]],
  [
    "random sparkle: one LED flashes white for a frame over a dim glow",
    60,
    () => {
      const random = seeded(3);
      return (_, n) => {
        const states: State[] = Array(n).fill([20, 20, 20, 100]);
        states[Math.floor(random() * n)] = white;
        return states;
      };
    },
    [100, 300, 2048],
  ],
  [
    "random sparkle: 1 % of the LEDs white for a frame, 30 frames/s",
    30,
    () => {
      const random = seeded(5);
      return (_, n) => {
        const states: State[] = Array(n).fill(off);
        for (let k = 0; k < Math.max(1, n / 100); k++) states[Math.floor(random() * n)] = white;
        return states;
      };
    },
    [100, 300, 2048],
  ],
  ["rainbow cycle (strandtest), 50 frames/s", 50, () => (frame, n) => Array.from({ length: n }, (_, led) => wheel(Math.floor((led * 256) / n) + frame)), [100, 300, 2048]],
  // On 100 LEDs Fire2012's spark zone and its glow are a third of the tree, flickering deep red: that is a red flash.
  ["fire (Fire2012), 60 frames/s", 60, () => fire(11), [300, 2048]],
  [
    "comet with a 12-LED tail, one LED per frame at 60 frames/s",
    60,
    () => (frame, n) => Array.from({ length: n }, (_, led) => {
      const behind = (((frame - led) % n) + n) % n;
      return behind < 12 ? [255, 255, 255, Math.round(100 * (1 - behind / 12))] : off;
    }),
    [100, 300, 2048],
  ],
];

describe("FlashGuard: ordinary effects pass with no frame softened or held", () => {
  for (const [name, fps, make, sizes] of effects) {
    test.each(sizes)(`${name}, %i LEDs`, (ledCount) => {
      const { tally } = play(make(), { ledCount, fps, seconds: 10 });
      expect(tally).toMatchObject({ softened: 0, held: 0 });
    });
  }

  test("the theater chase passes because it blends, not because its LEDs are slow: each one flashes 6.7 times a second", () => {
    const { shown, positions } = play(theaterChase, { ledCount: 100, fps: 20, seconds: 2 });
    const alone = positions.map((_, led) =>
      transitionTimes(
        shown.map(({ timeMs, frame }) => ({ timeMs, value: (0.2126 * frame[led * 4]! + 0.7152 * frame[led * 4 + 1]! + 0.0722 * frame[led * 4 + 2]!) / 255, tag: false })),
        limits.flashLuminanceDelta,
        () => true,
      ),
    );
    expect(worstShare(alone)).toBe(1);
  });
});
