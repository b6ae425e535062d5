/**
 * The daemon's fast path for frames: decodes a wire line straight from the
 * socket's bytes, without building a string or 300 little arrays per frame.
 * It only takes the common shape (a list of lists of plain decimal integers in
 * range, any JSON whitespace between tokens). Anything else, right or wrong,
 * goes to `decodeFrame` on the text, so the answer (and every error message)
 * is exactly the reference's; `frame-bytes.test.ts` holds the two to agreement.
 */
import { decodeFrame, type FrameCheck } from "./frame.ts";
import { channelMax, levelMax } from "./limits.ts";

const space = 0x20, tab = 0x09, cr = 0x0d;
const open = 0x5b, close = 0x5d, comma = 0x2c, zero = 0x30, nine = 0x39;
const utf8 = new TextDecoder();

/**
 * JSON whitespace but the newline, which never occurs inside a wire line. Loops skipping it need no
 * bound check: at `end` lies the newline or the end of the array (undefined), and the final
 * `i === end` check turns any overrun into a fallback, so bytes outside the line never decide.
 */
const isBlank = (c: number) => c <= space && (c === space || c === tab || c === cr);

/**
 * Scans bytes[start, end) as a frame of exactly `ledCount` states into `out`
 * (4 bytes per LED). Returns false as soon as the input leaves the common shape.
 */
function scan(bytes: Uint8Array, start: number, end: number, ledCount: number, out: Uint8Array): boolean {
  let i = start;
  while (isBlank(bytes[i]!)) i++;
  if (bytes[i] !== open) return false;
  i++;
  let o = 0;
  for (let led = 0; led < ledCount; led++) {
    while (isBlank(bytes[i]!)) i++;
    if (led > 0) {
      if (bytes[i] !== comma) return false;
      i++;
      while (isBlank(bytes[i]!)) i++;
    }
    if (bytes[i] !== open) return false;
    i++;
    for (let channel = 0; channel < 4; channel++) {
      while (isBlank(bytes[i]!)) i++;
      if (channel > 0) {
        if (bytes[i] !== comma) return false;
        i++;
        while (isBlank(bytes[i]!)) i++;
      }
      let c = bytes[i]!;
      if (i >= end || c < zero || c > nine) return false;
      let value = c - zero;
      i++;
      if (value === 0) {
        // JSON forbids leading zeros ("07"); let the reference say so.
        c = bytes[i]!;
        if (i < end && c >= zero && c <= nine) return false;
      } else {
        // At most three digits: anything longer is out of range, which the reference words.
        for (let digits = 1; i < end; digits++) {
          c = bytes[i]!;
          if (c < zero || c > nine) break;
          if (digits === 3) return false;
          value = value * 10 + (c - zero);
          i++;
        }
      }
      // A fraction or exponent (1.0, 1e2) is the reference's to judge.
      c = bytes[i]!;
      if (c === 0x2e || c === 0x65 || c === 0x45) return false;
      if (value > (channel === 3 ? levelMax : channelMax)) return false;
      out[o++] = value;
    }
    while (isBlank(bytes[i]!)) i++;
    if (bytes[i] !== close) return false;
    i++;
  }
  while (isBlank(bytes[i]!)) i++;
  if (bytes[i] !== close) return false;
  i++;
  while (i < end && isBlank(bytes[i]!)) i++;
  return i === end;
}

/**
 * Decodes one wire line (newline removed) held in bytes[start, end) as a frame.
 * Pass `out` (ledCount × 4 bytes) to reuse one buffer for every frame: on success
 * the returned frame is `out` itself, valid until the next call with it.
 */
export function decodeFrameBytes(
  bytes: Uint8Array,
  ledCount: number,
  out: Uint8Array = new Uint8Array(ledCount * 4),
  start = 0,
  end = bytes.length,
): FrameCheck {
  if (out.length !== ledCount * 4) throw new RangeError(`out must hold ${ledCount * 4} bytes, has ${out.length}`);
  if (scan(bytes, start, end, ledCount, out)) return { ok: true, frame: out };
  return decodeFrame(utf8.decode(bytes.subarray(start, end)), ledCount);
}

/**
 * Each value 0-255 as its decimal ASCII digits, packed as 4 bytes (digit count,
 * then the digits): the encoder copies these instead of formatting numbers.
 */
const decimalDigits = new Uint8Array((channelMax + 1) * 4);
for (let value = 0; value <= channelMax; value++) {
  const digits = String(value);
  decimalDigits[value * 4] = digits.length;
  for (let d = 0; d < digits.length; d++) decimalDigits[value * 4 + 1 + d] = digits.charCodeAt(d);
}

/**
 * The sender's fast path: a packed frame as one wire line, newline included,
 * written straight into bytes (the same text as `encodeFrame`, which
 * `frame-bytes.test.ts` checks), so sending a frame builds no strings.
 */
export function encodeFrameLine(frame: Uint8Array): Uint8Array {
  // Longest state: "[255,255,255,100]," = 18 bytes; plus "[", "]" and the newline.
  const out = new Uint8Array((frame.length / 4) * 18 + 3);
  let o = 0;
  out[o++] = open;
  for (let i = 0; i < frame.length; i += 4) {
    if (i > 0) out[o++] = comma;
    out[o++] = open;
    for (let channel = 0; channel < 4; channel++) {
      if (channel > 0) out[o++] = comma;
      const at = frame[i + channel]! * 4;
      const count = decimalDigits[at]!;
      out[o++] = decimalDigits[at + 1]!;
      if (count > 1) out[o++] = decimalDigits[at + 2]!;
      if (count > 2) out[o++] = decimalDigits[at + 3]!;
    }
    out[o++] = close;
  }
  out[o++] = close;
  out[o++] = 0x0a;
  return out.subarray(0, o);
}
