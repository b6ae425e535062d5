/**
 * The LED frame: the one contract between the sandbox, the app and the daemon.
 *
 * A state is [R, G, B, L]: R, G, B integers 0-255, L an integer 0-100. A frame is
 * exactly the configured number of states; fewer or more is an error. The
 * TypeBox schemas below are the published shape; `checkFrame` is the same rule
 * written as one tight loop (it runs for every frame, thousands per second) that
 * also says which LED is wrong. `frame.test.ts` holds the two to agreement.
 */
import { Type as t, type Static } from "@sinclair/typebox";
import { channelMax, levelMax, maxLedCount } from "./limits.ts";

const channel = t.Integer({ minimum: 0, maximum: channelMax });
export const LedStateSchema = t.Tuple([channel, channel, channel, t.Integer({ minimum: 0, maximum: levelMax })], {
  description: "[R, G, B, L]: colour 0-255 per channel, L brightness 0-100",
});
export const FrameSchema = t.Array(LedStateSchema, { minItems: 1, maxItems: maxLedCount });
export type LedState = Static<typeof LedStateSchema>;
export type Frame = Static<typeof FrameSchema>;

/** A validated frame, packed as R, G, B, L bytes per LED (length = 4 × LED count). */
export type PackedFrame = Uint8Array;

export type FrameCheck = { ok: true; frame: PackedFrame } | { ok: false; error: string };

const channelNames = ["R", "G", "B", "L"] as const;

function describe(value: unknown): string {
  if (typeof value === "string") return JSON.stringify(value.length > 20 ? `${value.slice(0, 20)}…` : value);
  if (Array.isArray(value)) return "an array";
  if (value === null) return "null";
  if (typeof value === "object") return "an object";
  return String(value);
}

function valueError(led: number, channel: number, value: unknown): string {
  const name = channelNames[channel];
  const max = channel === 3 ? levelMax : channelMax;
  if (typeof value !== "number" || !Number.isInteger(value)) {
    return `led ${led}: ${name}=${describe(value)} is not an integer (use a whole number 0-${max})`;
  }
  return `led ${led}: ${name}=${value} is out of range 0-${max}`;
}

/**
 * Checks an already-parsed value against the frame rules for `ledCount` LEDs.
 * LEDs are numbered from 0 in messages, as in the visitor's list.
 */
export function checkFrame(value: unknown, ledCount: number): FrameCheck {
  if (!Array.isArray(value)) return { ok: false, error: "a frame must be a list of [R, G, B, L] states" };
  if (value.length !== ledCount) return { ok: false, error: `expected ${ledCount} leds, got ${value.length}` };
  const packed = new Uint8Array(ledCount * 4);
  for (let led = 0; led < ledCount; led++) {
    const state: unknown = value[led];
    if (!Array.isArray(state) || state.length !== 4) {
      const got = Array.isArray(state) ? `${state.length} values` : describe(state);
      return { ok: false, error: `led ${led}: expected [R, G, B, L], got ${got}` };
    }
    const base = led * 4;
    for (let channel = 0; channel < 4; channel++) {
      const v: unknown = state[channel];
      // typeof + integer + range in one branch: booleans, strings, null, NaN and 1.5 all fail here.
      if (typeof v !== "number" || !Number.isInteger(v) || v < 0 || v > (channel === 3 ? levelMax : channelMax)) {
        return { ok: false, error: valueError(led, channel, v) };
      }
      packed[base + channel] = v;
    }
  }
  return { ok: true, frame: packed };
}

/** Parses one JSON text (one wire line, newline removed) as a frame. */
export function decodeFrame(line: string, ledCount: number): FrameCheck {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch (error) {
    return { ok: false, error: `malformed JSON: ${(error as Error).message}` };
  }
  return checkFrame(value, ledCount);
}

/** One wire line (without the newline) for a frame: the bare compact array. */
export function encodeFrame(frame: PackedFrame | readonly (readonly number[])[]): string {
  if (!(frame instanceof Uint8Array)) return JSON.stringify(frame);
  const parts: string[] = new Array(frame.length / 4);
  for (let i = 0, led = 0; i < frame.length; i += 4, led++) {
    parts[led] = `[${frame[i]},${frame[i + 1]},${frame[i + 2]},${frame[i + 3]}]`;
  }
  return `[${parts.join(",")}]`;
}

/** Unpacks a packed frame into the [[R, G, B, L], ...] form. */
export function unpackFrame(frame: PackedFrame): LedState[] {
  const states: LedState[] = [];
  for (let i = 0; i < frame.length; i += 4) states.push([frame[i]!, frame[i + 1]!, frame[i + 2]!, frame[i + 3]!]);
  return states;
}
