import { describe, expect, it } from "vitest";
import { Value } from "@sinclair/typebox/value";
import { checkFrame, decodeFrame, encodeFrame, FrameSchema, unpackFrame } from "./frame.ts";

const blue = (n: number) => Array.from({ length: n }, () => [0, 0, 255, 100]);

describe("decodeFrame", () => {
  it("accepts exactly the configured count and packs R, G, B, L", () => {
    const result = decodeFrame(JSON.stringify([[1, 2, 3, 4], [255, 0, 0, 100]]), 2);
    expect(result).toEqual({ ok: true, frame: new Uint8Array([1, 2, 3, 4, 255, 0, 0, 100]) });
  });

  it("names the expected count when a frame is short or long", () => {
    expect(decodeFrame(JSON.stringify(blue(49)), 50)).toEqual({ ok: false, error: "expected 50 leds, got 49" });
    expect(decodeFrame(JSON.stringify(blue(51)), 50)).toEqual({ ok: false, error: "expected 50 leds, got 51" });
  });

  it("names the led and channel of an out-of-range value", () => {
    const frame = blue(20);
    frame[17] = [0, 300, 0, 50];
    expect(decodeFrame(JSON.stringify(frame), 20)).toEqual({ ok: false, error: "led 17: G=300 is out of range 0-255" });
  });

  it.each([
    ["a float", [1.5, 0, 0, 0], "led 0: R=1.5 is not an integer"],
    ["a boolean", [0, true, 0, 0], "led 0: G=true is not an integer"],
    ["a string", [0, 0, "9", 0], 'led 0: B="9" is not an integer'],
    ["null", [0, 0, 0, null], "led 0: L=null is not an integer"],
    ["a nested array", [[0], 0, 0, 0], "led 0: R=an array is not an integer"],
    ["an object", [0, {}, 0, 0], "led 0: G=an object is not an integer"],
    ["L above 100", [0, 0, 0, 101], "led 0: L=101 is out of range 0-100"],
    ["a negative", [-1, 0, 0, 0], "led 0: R=-1 is out of range 0-255"],
    ["three values", [0, 0, 0], "led 0: expected [R, G, B, L], got 3 values"],
    ["five values", [0, 0, 0, 0, 0], "led 0: expected [R, G, B, L], got 5 values"],
    ["a bare number", 7, "led 0: expected [R, G, B, L], got 7"],
  ])("rejects %s", (_name, state, message) => {
    const result = decodeFrame(JSON.stringify([state]), 1);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.startsWith(message)).toBe(true);
  });

  it("rejects malformed JSON and non-arrays", () => {
    expect(decodeFrame("[[0,0,0,0]", 1)).toMatchObject({ ok: false, error: expect.stringMatching(/^malformed JSON/) });
    expect(decodeFrame('{"leds":[]}', 1)).toMatchObject({ ok: false, error: expect.stringMatching(/list of/) });
  });

  it("agrees with the TypeBox schema on random values", () => {
    let seed = 7;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const pick = () => {
      const r = random();
      if (r < 0.85) return Math.floor(random() * 260);
      if (r < 0.9) return random() * 10;
      if (r < 0.95) return -1;
      return [true, null, "1", [], {}][Math.floor(random() * 5)];
    };
    for (let i = 0; i < 2000; i++) {
      const count = 1 + Math.floor(random() * 3);
      const frame = Array.from({ length: count }, () => Array.from({ length: random() < 0.95 ? 4 : 3 }, pick));
      expect(checkFrame(frame, count).ok).toBe(Value.Check(FrameSchema, frame));
    }
  });
});

describe("encodeFrame", () => {
  it("round-trips a packed frame as the bare compact array", () => {
    const packed = new Uint8Array([0, 0, 255, 100, 9, 8, 7, 6]);
    expect(encodeFrame(packed)).toBe("[[0,0,255,100],[9,8,7,6]]");
    expect(unpackFrame(packed)).toEqual([[0, 0, 255, 100], [9, 8, 7, 6]]);
  });
});
