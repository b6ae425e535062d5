/**
 * Everything else that crosses the frame socket: commands, replies, and the one
 * function that turns a wire line into a request. A line starting with `[` is a
 * frame; a line starting with `{` is a command object.
 */
import { Type as t, type Static } from "@sinclair/typebox";
import { Value } from "@sinclair/typebox/value";
import { decodeFrame, type PackedFrame } from "./frame.ts";
import { decodeFrameBytes } from "./frame-bytes.ts";
import { maxLineBytes } from "./limits.ts";

export const commandTypes = ["info", "snapshot", "off"] as const;
export const CommandSchema = t.Object(
  { type: t.Union(commandTypes.map((type) => t.Literal(type))) },
  { additionalProperties: false },
);
export type Command = Static<typeof CommandSchema>;

export const ErrorReplySchema = t.Object({ ok: t.Literal(false), error: t.String() });
export const OkReplySchema = t.Object({ ok: t.Literal(true) });

/** Reply to `{"type":"info"}`: how the daemon is set up. The app learns the LED count here. */
export const InfoReplySchema = t.Object({
  ok: t.Literal(true),
  protocol: t.Literal(1),
  ledCount: t.Integer({ minimum: 1 }),
  driver: t.String(),
  colorOrder: t.String(),
  brightnessCapPercent: t.Integer({ minimum: 0, maximum: 100 }),
  budgetMilliamps: t.Number({ minimum: 0 }),
  /** Largest sum of shown channel bytes within the budget: past it the limiter scales the frame (the app's flash limit models that). */
  maxChannelSum: t.Optional(t.Integer({ minimum: 0 })),
  maxLineBytes: t.Integer(),
});

/** Reply to `{"type":"snapshot"}`: what the LEDs show now, after brightness and the limiter. */
export const SnapshotReplySchema = t.Object({
  ok: t.Literal(true),
  /** base64 of R, G, B bytes per LED, in strip order (colour order undone). */
  rgb: t.String(),
  /** Estimated current of the shown frame. */
  milliamps: t.Number({ minimum: 0 }),
  /** Estimate of the frame as requested, before the limiter. */
  requestedMilliamps: t.Number({ minimum: 0 }),
  /** True when the limiter scaled the last frame down. */
  limited: t.Boolean(),
  /** Factor the limiter applied to every channel of the last frame (1 when it did nothing). */
  scale: t.Number({ minimum: 0, maximum: 1 }),
  /** Frames shown since the daemon started. */
  frames: t.Integer({ minimum: 0 }),
  /**
   * The driver's failure on the latest frame (the strip was darkened), null once a frame renders
   * again. Optional: daemons older than this field leave it out.
   */
  driverError: t.Optional(t.Union([t.String(), t.Null()])),
});

export type ErrorReply = Static<typeof ErrorReplySchema>;
export type InfoReply = Static<typeof InfoReplySchema>;
export type SnapshotReply = Static<typeof SnapshotReplySchema>;

export type Request =
  | { kind: "frame"; frame: PackedFrame }
  | { kind: "command"; command: Command }
  | { kind: "invalid"; error: string };

const notARequest = 'expected a frame [[R,G,B,L],...] or a command {"type":...}';

/** Decodes one line (newline removed) from a client. Never throws. */
export function parseRequestLine(line: string, ledCount: number): Request {
  if (Buffer.byteLength(line) > maxLineBytes) {
    return { kind: "invalid", error: `line is longer than ${maxLineBytes} bytes` };
  }
  const first = line.trimStart()[0];
  if (first === "[") {
    const checked = decodeFrame(line, ledCount);
    return checked.ok ? { kind: "frame", frame: checked.frame } : { kind: "invalid", error: checked.error };
  }
  if (first === undefined) return { kind: "invalid", error: `empty line: ${notARequest}` };
  if (first !== "{") return { kind: "invalid", error: notARequest };
  return parseCommand(line);
}

const utf8 = new TextDecoder();

/**
 * `parseRequestLine` for a line still in the bytes it arrived in, bytes[start, end)
 * without the newline: frames take the byte fast path and land in `frameOut`
 * (ledCount × 4 bytes, reused; valid until the next call). Never throws.
 */
export function parseRequestBytes(
  bytes: Uint8Array,
  ledCount: number,
  frameOut: Uint8Array = new Uint8Array(ledCount * 4),
  start = 0,
  end = bytes.length,
): Request {
  if (end - start > maxLineBytes) return { kind: "invalid", error: `line is longer than ${maxLineBytes} bytes` };
  let i = start;
  while (i < end && (bytes[i] === 0x20 || bytes[i] === 0x09 || bytes[i] === 0x0d)) i++;
  if (bytes[i] === 0x5b && i < end) {
    const checked = decodeFrameBytes(bytes, ledCount, frameOut, start, end);
    return checked.ok ? { kind: "frame", frame: checked.frame } : { kind: "invalid", error: checked.error };
  }
  return parseRequestLine(utf8.decode(bytes.subarray(start, end)), ledCount);
}

function parseCommand(line: string): Request {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch (error) {
    return { kind: "invalid", error: `malformed JSON: ${(error as Error).message}` };
  }
  if (Value.Check(CommandSchema, value)) return { kind: "command", command: value };
  const type = (value as { type?: unknown }).type;
  if (typeof type === "string" && !(commandTypes as readonly string[]).includes(type)) {
    return { kind: "invalid", error: `unknown command "${type.slice(0, 40)}" (known: ${commandTypes.join(", ")})` };
  }
  return { kind: "invalid", error: `a command is {"type": one of ${commandTypes.join(", ")}} with no other fields` };
}

export function errorReply(error: string): string {
  return JSON.stringify({ ok: false, error } satisfies ErrorReply);
}
export const okReply = '{"ok":true}';
