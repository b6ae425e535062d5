/**
 * The current limiter (after WLED's automatic brightness limiter), pure.
 *
 * Model: a dark LED draws `idleMilliampsPerLed` (its controller); each colour
 * channel at 255 draws `milliampsPerLed / 3` more, proportionally below that.
 * So a frame whose channel bytes sum to S draws
 *     idle × ledCount + S × milliampsPerLed / 765   (765 = 3 × 255).
 * The budget is psuAmps × 1000 − reserveMilliamps. Each channel is first scaled
 * by the LED's L and the global brightness cap (floor(v × L × cap / 10000));
 * if the frame then needs more than the budget, every channel is scaled by the
 * same factor maxSum / S and rounded down, where maxSum is the largest channel
 * sum the budget allows. Rounding down can only lower the sum, so the estimate
 * of what is shown never exceeds the budget; the integer maths keeps it exact.
 */
import { channelMax, levelMax } from "../../protocol/limits.ts";

export interface LimiterSettings {
  ledCount: number;
  brightnessCapPercent: number;
  psuAmps: number;
  reserveMilliamps: number;
  milliampsPerLed: number;
  idleMilliampsPerLed: number;
}

export interface LimiterPlan {
  readonly ledCount: number;
  readonly budgetMilliamps: number;
  readonly milliampsPerLed: number;
  readonly idleMilliamps: number;
  /** Largest sum of shown channel bytes whose estimate stays within the budget. */
  readonly maxChannelSum: number;
  /** (levelMax + 1) tables of 256 bytes: row L maps v to floor(v × L × cap / 10000). */
  readonly levelTables: Uint8Array;
}

export interface LimitReport {
  /** Estimate for the frame after brightness, before the limiter. */
  requestedMilliamps: number;
  /** Estimate for what is shown; never above the budget. */
  milliamps: number;
  /** Factor the limiter applied to every channel (1 when it did nothing). */
  scale: number;
  limited: boolean;
}

const fullWhiteUnits = 3 * channelMax;

/** Estimated current of `ledCount` LEDs whose channel bytes sum to `channelSum`. */
export function estimateMilliamps(channelSum: number, plan: Pick<LimiterPlan, "ledCount" | "idleMilliamps" | "milliampsPerLed">): number {
  return plan.idleMilliamps + (channelSum * plan.milliampsPerLed) / fullWhiteUnits;
}

export function planLimiter(settings: LimiterSettings): LimiterPlan {
  const budgetMilliamps = settings.psuAmps * 1000 - settings.reserveMilliamps;
  const idleMilliamps = settings.ledCount * settings.idleMilliampsPerLed;
  const base = { ledCount: settings.ledCount, idleMilliamps, milliampsPerLed: settings.milliampsPerLed };
  const allWhite = settings.ledCount * fullWhiteUnits;
  let maxChannelSum = Math.max(0, Math.min(allWhite, Math.floor(((budgetMilliamps - idleMilliamps) * fullWhiteUnits) / settings.milliampsPerLed)));
  // Floating point may put the estimate of maxChannelSum a hair over the budget; step down until it is not.
  while (maxChannelSum > 0 && estimateMilliamps(maxChannelSum, base) > budgetMilliamps) maxChannelSum--;
  const levelTables = new Uint8Array((levelMax + 1) * 256);
  const cap = settings.brightnessCapPercent;
  for (let level = 0; level <= levelMax; level++) {
    for (let v = 0; v <= channelMax; v++) levelTables[level * 256 + v] = Math.floor((v * level * cap) / (levelMax * 100));
  }
  return { ...base, budgetMilliamps, maxChannelSum, levelTables };
}

const roundDown = (milliamps: number) => Math.floor(milliamps * 100) / 100;
const roundNearest = (milliamps: number) => Math.round(milliamps * 100) / 100;

/**
 * Turns a packed frame (R, G, B, L per LED) into the R, G, B bytes to show
 * (3 per LED, written into `rgb`), within the plan's budget.
 */
export function limitFrame(packed: Uint8Array, plan: LimiterPlan, rgb: Uint8Array = new Uint8Array(plan.ledCount * 3)): LimitReport {
  const tables = plan.levelTables;
  const leds = packed.length >> 2;
  let sum = 0;
  for (let led = 0, i = 0, o = 0; led < leds; led++, i += 4, o += 3) {
    const row = packed[i + 3]! << 8;
    const r = tables[row + packed[i]!]!;
    const g = tables[row + packed[i + 1]!]!;
    const b = tables[row + packed[i + 2]!]!;
    rgb[o] = r;
    rgb[o + 1] = g;
    rgb[o + 2] = b;
    sum += r + g + b;
  }
  const requestedMilliamps = estimateMilliamps(sum, plan);
  if (sum <= plan.maxChannelSum) {
    return { requestedMilliamps: roundNearest(requestedMilliamps), milliamps: roundDown(requestedMilliamps), scale: 1, limited: false };
  }
  const max = plan.maxChannelSum;
  let shownSum = 0;
  for (let i = 0; i < leds * 3; i++) {
    // v × max and sum are integers below 2^31, so this floor is exact.
    const shown = Math.floor((rgb[i]! * max) / sum);
    rgb[i] = shown;
    shownSum += shown;
  }
  return {
    requestedMilliamps: roundNearest(requestedMilliamps),
    milliamps: roundDown(estimateMilliamps(shownSum, plan)),
    scale: max / sum,
    limited: true,
  };
}
