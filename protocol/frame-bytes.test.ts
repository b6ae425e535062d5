import { describe, expect, it } from "vitest";
import { decodeFrame, encodeFrame } from "./frame.ts";
import { decodeFrameBytes, encodeFrameLine } from "./frame-bytes.ts";
import { channelMax, levelMax } from "./limits.ts";

const bytes = (text: string) => new TextEncoder().encode(text);

let seed = 1234;
const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;

/** A frame's text with random JSON whitespace between tokens. */
function frameText(states: unknown[][]): string {
  const ws = () => (random() < 0.8 ? "" : pick([" ", "  ", "\t", "\r", " \t ", "\n"]));
  return `${ws()}[${states.map((state) => `${ws()}[${state.map((v) => `${ws()}${typeof v === "string" ? v : JSON.stringify(v)}${ws()}`).join(",")}]${ws()}`).join(",")}]${ws()}`;
}

describe("decodeFrameBytes", () => {
  it("decodes the common shape into the buffer it is given", () => {
    const out = new Uint8Array(8);
    const result = decodeFrameBytes(bytes("[[1,2,3,4], [ 255 ,0,0,100 ]]"), 2, out);
    expect(result).toEqual({ ok: true, frame: out });
    expect([...out]).toEqual([1, 2, 3, 4, 255, 0, 0, 100]);
  });

  it("reads only its slice of a larger buffer", () => {
    const chunk = bytes('[[1,2,3,4]]\n[[9,9,9,9]]\n{"type":"info"}');
    const result = decodeFrameBytes(chunk, 1, undefined, 12, 23);
    expect(result.ok && [...result.frame]).toEqual([9, 9, 9, 9]);
    // The line ends before its closing bracket: the bytes after `end` must not complete it.
    expect(decodeFrameBytes(chunk, 1, undefined, 0, 10).ok).toBe(false);
  });

  it("gives the reference's word-for-word errors", () => {
    const cases = ["[[1,2,3,4]", "[[1,2,3]]", "[[1,2,3,4],[1,2,3,4]]", "[[1,2,300,4]]", "[[1,2,3,101]]", "[[01,2,3,4]]", "[[1.5,2,3,4]]", "[[-1,2,3,4]]", "[[1,2,3,4]] x", "[]", "[[1,2,3,4,]]", "[[1e2,2,3,4]]", "[[1000,2,3,4]]"];
    for (const text of cases) expect(decodeFrameBytes(bytes(text), 1)).toEqual(decodeFrame(text, 1));
  });

  it("accepts what the reference accepts beyond the fast path (1.0, 1e1, -0)", () => {
    for (const text of ["[[1.0,2,3,4]]", "[[1e1,2,3,4]]", "[[-0,2,3,4]]", "[[1,2,3,4.00]]", "[[1,2,\n3,4]]", "\n[[1,2,3,4]]\n"]) {
      const result = decodeFrameBytes(bytes(text), 1);
      expect(result.ok).toBe(true);
      expect(result).toEqual(decodeFrame(text, 1));
    }
  });

  it("agrees with decodeFrame on thousands of random and mutated frames", () => {
    const values: unknown[] = [0, 1, 9, 10, 99, 100, 101, 254, 255, 256, 999, 1000, 1.5, -1, "07", "1.0", "2e1", true, null, '"3"', "[]", "{}"];
    const mutations: ((text: string) => string)[] = [
      (s) => s,
      (s) => s.slice(0, Math.floor(random() * s.length)),
      (s) => {
        const at = Math.floor(random() * s.length);
        return s.slice(0, at) + pick(["[", "]", ",", "0", "9", " ", "x", ".", "-", '"', "\u00e9"]) + s.slice(at + 1);
      },
      (s) => {
        const at = Math.floor(random() * s.length);
        return s.slice(0, at) + s.slice(at + 1);
      },
    ];
    let accepted = 0;
    for (let round = 0; round < 4000; round++) {
      const ledCount = 1 + Math.floor(random() * 4);
      const count = random() < 0.9 ? ledCount : ledCount + pick([-1, 1]);
      const states = Array.from({ length: Math.max(0, count) }, () =>
        Array.from({ length: random() < 0.95 ? 4 : pick([3, 5]) }, (_, channel) =>
          random() < 0.85 ? Math.floor(random() * ((channel === 3 ? levelMax : channelMax) + 1)) : pick(values),
        ),
      );
      const text = pick(mutations)(frameText(states));
      const fast = decodeFrameBytes(bytes(text), ledCount);
      const reference = decodeFrame(text, ledCount);
      expect(fast, text).toEqual(reference);
      if (fast.ok) accepted++;
    }
    // The generator must exercise both outcomes, or the agreement proves little.
    expect(accepted).toBeGreaterThan(500);
    expect(accepted).toBeLessThan(3500);
  });
});

describe("encodeFrameLine", () => {
  const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes);

  it("writes the same line as encodeFrame, newline included, for random frames of every size", () => {
    for (let trial = 0; trial < 200; trial++) {
      const ledCount = 1 + Math.floor(Math.random() * 400);
      const frame = new Uint8Array(ledCount * 4);
      for (let i = 0; i < frame.length; i++) frame[i] = i % 4 === 3 ? Math.floor(Math.random() * (levelMax + 1)) : Math.floor(Math.random() * (channelMax + 1));
      expect(text(encodeFrameLine(frame))).toBe(`${encodeFrame(frame)}\n`);
    }
  });

  it("fits the longest states exactly and round-trips through the decoder", () => {
    const frame = new Uint8Array(2048 * 4).map((_, i) => (i % 4 === 3 ? levelMax : channelMax));
    const line = encodeFrameLine(frame);
    expect(line[line.length - 1]).toBe(0x0a);
    const decoded = decodeFrameBytes(line, 2048, undefined, 0, line.length - 1);
    expect(decoded.ok && Array.from(decoded.frame)).toEqual(Array.from(frame));
  });
});
