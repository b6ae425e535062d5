/**
 * The SPI driver's per-frame work: encoding wire bytes into the SPI bitstream.
 * Measured side by side with a straightforward bit-by-bit encoder (the obvious
 * way to write it), and against the time the frame itself takes on the wire
 * (30 µs per RGB LED + 300 µs latch): the encoder must be a small fraction.
 */
import { encodeSpiFrame, spiFrameLength } from "../gpio-daemon/src/drivers/spi-encoding.ts";

/** One LED bit at a time, three SPI bits each: the baseline. */
function encodeBitByBit(wire: Uint8Array, out: Uint8Array): Uint8Array {
  out.fill(0);
  let bit = 0;
  for (const byte of wire) {
    for (let b = 7; b >= 0; b--) {
      const symbol = (byte >> b) & 1 ? 0b110 : 0b100;
      for (let s = 2; s >= 0; s--) {
        if ((symbol >> s) & 1) out[bit >> 3]! |= 0x80 >> (bit & 7);
        bit++;
      }
    }
  }
  return out;
}

function timePerFrameUs(encode: (wire: Uint8Array, out: Uint8Array) => Uint8Array, wire: Uint8Array, out: Uint8Array): number {
  for (let i = 0; i < 50; i++) encode(wire, out);
  let frames = 0;
  const started = performance.now();
  while (performance.now() - started < 400) {
    for (let i = 0; i < 20; i++) encode(wire, out);
    frames += 20;
  }
  return ((performance.now() - started) * 1000) / frames;
}

console.log("leds  table µs/frame  bit-by-bit µs/frame  table speed-up  wire µs/frame  encoder share of wire time");
for (const leds of [300, 1000, 2048]) {
  const wire = Uint8Array.from({ length: leds * 3 }, (_, i) => (i * 37) & 0xff);
  const out = new Uint8Array(spiFrameLength(wire.length));
  const baseline = encodeBitByBit(wire, new Uint8Array(out.length));
  if (!encodeSpiFrame(wire).every((byte, i) => byte === baseline[i])) {
    throw new Error("the two encoders disagree: the comparison would be meaningless");
  }
  const table = timePerFrameUs(encodeSpiFrame, wire, out);
  const naive = timePerFrameUs(encodeBitByBit, wire, out);
  const wireUs = leds * 30 + 300;
  console.log(
    `${String(leds).padStart(4)}  ${table.toFixed(1).padStart(16)}  ${naive.toFixed(1).padStart(19)}  ${(naive / table).toFixed(1).padStart(13)}×  ${String(wireUs).padStart(13)}  ${((table / wireUs) * 100).toFixed(2).padStart(25)} %`,
  );
}
