import { describe, expect, it } from "vitest";
import { decodeWs2812, spiPulses, ws2812Timing } from "./spi-decoding.ts";
import { encodeSpiFrame, spiClockHz, spiFrameLength, spiLatchBytes } from "./spi-encoding.ts";

// Worked by hand: each LED bit is 110 (one) or 100 (zero), MSB first, 8 bits → 24 SPI bits.
const zeroByte = [0x92, 0x49, 0x24]; // 100 100 100 100 100 100 100 100
const fullByte = [0xdb, 0x6d, 0xb6]; // 110 110 110 110 110 110 110 110
const handEncoded: Record<number, number[]> = {
  0x00: zeroByte,
  0xff: fullByte,
  0x80: [0xd2, 0x49, 0x24], // 110 100 100 100 100 100 100 100
  0x01: [0x92, 0x49, 0x26], // 100 100 100 100 100 100 100 110
  0xaa: [0xd3, 0x4d, 0x34], // 110 100 110 100 110 100 110 100
};

describe("encodeSpiFrame", () => {
  it.each(Object.entries(handEncoded))("encodes byte %s as hand-computed SPI bytes", (value, expected) => {
    const out = encodeSpiFrame(Uint8Array.of(Number(value)));
    expect([...out.subarray(0, 3)]).toEqual(expected);
  });

  it("encodes a known frame: red, green, blue, white in GRB order, then the latch", () => {
    const grb = Uint8Array.of(0, 255, 0, 255, 0, 0, 0, 0, 255, 255, 255, 255);
    const out = encodeSpiFrame(grb);
    const expected = [
      ...zeroByte, ...fullByte, ...zeroByte, // red:   G=0   R=255 B=0
      ...fullByte, ...zeroByte, ...zeroByte, // green: G=255 R=0   B=0
      ...zeroByte, ...zeroByte, ...fullByte, // blue:  G=0   R=0   B=255
      ...fullByte, ...fullByte, ...fullByte, // white
      ...new Array<number>(spiLatchBytes).fill(0),
    ];
    expect([...out]).toEqual(expected);
  });

  it("handles RGBW strips: 4 bytes per LED become 12 SPI bytes", () => {
    const out = encodeSpiFrame(Uint8Array.of(1, 2, 3, 4, 5, 6, 7, 8));
    expect(out.length).toBe(8 * 3 + spiLatchBytes);
    const decoded = decodeWs2812(spiPulses(out, spiClockHz));
    expect(decoded).toMatchObject({ ok: true });
    if (decoded.ok) expect([...decoded.bytes]).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
  });

  it("reuses a caller's buffer and clears a previous frame's tail to the latch", () => {
    const out = new Uint8Array(spiFrameLength(3)).fill(0xff);
    const same = encodeSpiFrame(Uint8Array.of(0, 0, 0), out);
    expect(same).toBe(out);
    expect([...out.subarray(9)].every((b) => b === 0)).toBe(true);
  });

  it("refuses a buffer of the wrong size instead of writing past it", () => {
    expect(() => encodeSpiFrame(Uint8Array.of(1, 2, 3), new Uint8Array(10))).toThrow(/expected/);
  });
});

describe("the encoded bitstream meets WS2812 timing", () => {
  const t = ws2812Timing;
  // Every byte value on 256 LEDs, so every bit pattern and transition occurs.
  const wire = new Uint8Array(256 * 3).map((_, i) => (i * 7) & 0xff);
  const pulses = spiPulses(encodeSpiFrame(wire), spiClockHz);

  it("decodes back to the same LED bytes with a reset of at least 280 µs", () => {
    const decoded = decodeWs2812(pulses);
    expect(decoded).toMatchObject({ ok: true });
    if (!decoded.ok) return;
    expect(decoded.bytes).toEqual(wire);
    expect(decoded.resetNs).toBeGreaterThanOrEqual(t.resetMinNs);
  });

  it("keeps every high pulse within ±150 ns of T0H or T1H and every bit within 1.25 µs ±600 ns", () => {
    const highs = pulses.filter((p) => p.high).map((p) => p.nanoseconds);
    expect(highs.every((ns) => Math.abs(ns - t.zeroHighNs) <= t.highToleranceNs || Math.abs(ns - t.oneHighNs) <= t.highToleranceNs)).toBe(true);
    for (let i = 0; i + 3 < pulses.length; i += 2) {
      expect(Math.abs(pulses[i]!.nanoseconds + pulses[i + 1]!.nanoseconds - t.bitPeriodNs)).toBeLessThanOrEqual(t.bitPeriodToleranceNs);
    }
  });
});

describe("clock rounding by real SPI controllers", () => {
  // The Pi's controllers divide a core clock by an even number, so 2.4 MHz comes out as e.g.
  // 2.358 MHz (Pi 3 at core_freq=250) or 2.381 MHz (Pi 5's RP1 at 200 MHz).
  it.each([2_300_000, 2_358_000, 2_381_000, 2_500_000])("still meets WS2812 timing at %i Hz", (hz) => {
    const wire = Uint8Array.of(0x00, 0xff, 0xa5, 0x5a);
    const decoded = decodeWs2812(spiPulses(encodeSpiFrame(wire), hz));
    expect(decoded).toMatchObject({ ok: true });
    if (decoded.ok) expect(decoded.bytes).toEqual(wire);
  });
});

describe("decodeWs2812 rejects streams an LED would misread", () => {
  it("rejects a missing reset", () => {
    const out = encodeSpiFrame(Uint8Array.of(0x55)).subarray(0, 3 + 10);
    expect(decodeWs2812(spiPulses(out, spiClockHz))).toMatchObject({ ok: false, error: expect.stringMatching(/reset/) });
  });

  it("rejects the right bit pattern at the wrong clock", () => {
    const out = encodeSpiFrame(Uint8Array.of(0x55));
    expect(decodeWs2812(spiPulses(out, spiClockHz * 2))).toMatchObject({ ok: false, error: expect.stringMatching(/neither T0H nor T1H/) });
  });
});
