/**
 * WS2812 bits as SPI bits: at 2.4 MHz one SPI bit lasts 416.7 ns, so each LED
 * bit becomes three SPI bits, `110` for a 1 (833 ns high, 417 ns low) and `100`
 * for a 0 (417 ns high, 833 ns low): 1.25 µs per LED bit, as the LEDs expect.
 *
 * Why 3 bits at 2.4 MHz rather than 8 bits at 6.4 MHz: a frame is 3 bytes per
 * LED byte instead of 8, so 1000 RGB LEDs fit one 9 KB write and a full
 * 2048-LED frame fits spidev's 32 KB buffer; the timing error is the same
 * order (±17 ns against the datasheet's ±150 ns).
 *
 * The frame ends with zero bytes held low for the reset/latch time, so one
 * write() both sends and latches a frame. Pure functions, no I/O.
 */

export const spiClockHz = 2_400_000;
export const spiBitsPerLedBit = 3;
/** Low time after the data that makes the LEDs latch (newer WS2812B need ≥ 280 µs). */
export const spiLatchMicroseconds = 300;
/** Zero bytes appended to each frame for the latch: ceil(300 µs × 2.4 MHz / 8) = 90. */
export const spiLatchBytes = Math.ceil((spiLatchMicroseconds * spiClockHz) / 1_000_000 / 8);
/** SPI bytes per wire byte: 8 LED bits × 3 SPI bits = 24 bits. */
export const spiBytesPerWireByte = (8 * spiBitsPerLedBit) / 8;

const oneSymbol = 0b110;
const zeroSymbol = 0b100;

/** Each wire byte's 3 SPI bytes, computed once: encoding is then 3 table copies per byte. */
const table = buildTable();

function buildTable(): Uint8Array {
  const out = new Uint8Array(256 * spiBytesPerWireByte);
  for (let value = 0; value < 256; value++) {
    let bits = 0;
    for (let bit = 7; bit >= 0; bit--) {
      bits = (bits << spiBitsPerLedBit) | ((value >> bit) & 1 ? oneSymbol : zeroSymbol);
    }
    out[value * 3] = (bits >>> 16) & 0xff;
    out[value * 3 + 1] = (bits >>> 8) & 0xff;
    out[value * 3 + 2] = bits & 0xff;
  }
  return out;
}

/** Length in bytes of the SPI transfer for `wireBytes` bytes of LED data, latch included. */
export function spiFrameLength(wireBytes: number): number {
  return wireBytes * spiBytesPerWireByte + spiLatchBytes;
}

/**
 * Encodes wire-order LED bytes (3 or 4 per LED, most significant bit first) into
 * `out`, which must be `spiFrameLength(wire.length)` bytes; returns `out`.
 * Passing the same `out` every frame avoids an allocation per frame.
 */
export function encodeSpiFrame(wire: Uint8Array, out: Uint8Array = new Uint8Array(spiFrameLength(wire.length))): Uint8Array {
  if (out.length !== spiFrameLength(wire.length)) {
    throw new RangeError(`SPI buffer is ${out.length} bytes, expected ${spiFrameLength(wire.length)} for ${wire.length} wire bytes`);
  }
  let o = 0;
  for (let i = 0; i < wire.length; i++) {
    const t = wire[i]! * 3;
    out[o] = table[t]!;
    out[o + 1] = table[t + 1]!;
    out[o + 2] = table[t + 2]!;
    o += 3;
  }
  out.fill(0, o);
  return out;
}
