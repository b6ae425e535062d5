/**
 * The inverse of spi-encoding.ts, the way an LED sees it: SPI bytes → runs of
 * high and low at a given clock → WS2812 bits. Used by the tests and the
 * emulated-Pi smoke test to prove an encoded frame against the datasheet's
 * timing rather than against the encoder's own table.
 */

export interface Pulse {
  high: boolean;
  nanoseconds: number;
}

/** Runs of equal level in the MSB-first bitstream `bytes` clocked at `clockHz`. */
export function spiPulses(bytes: Uint8Array, clockHz: number): Pulse[] {
  const bitNs = 1e9 / clockHz;
  const pulses: Pulse[] = [];
  let level: boolean | undefined;
  let run = 0;
  for (const byte of bytes) {
    for (let bit = 7; bit >= 0; bit--) {
      const high = ((byte >> bit) & 1) === 1;
      if (high === level) {
        run++;
        continue;
      }
      if (level !== undefined) pulses.push({ high: level, nanoseconds: run * bitNs });
      level = high;
      run = 1;
    }
  }
  if (level !== undefined) pulses.push({ high: level, nanoseconds: run * bitNs });
  return pulses;
}

/** WS2812 timing the decoder accepts (datasheet values and tolerances, in ns). */
export const ws2812Timing = {
  zeroHighNs: 400,
  oneHighNs: 800,
  highToleranceNs: 150,
  bitPeriodNs: 1250,
  bitPeriodToleranceNs: 600,
  resetMinNs: 280_000,
} as const;

export type Ws2812Decode = { ok: true; bytes: Uint8Array; resetNs: number } | { ok: false; error: string };

/**
 * Reads LED bytes back from pulses: every high pulse must be a valid 0 or 1 and
 * every bit period within tolerance; the stream must end in a low at least as
 * long as the reset time. Returns the first violation otherwise.
 */
export function decodeWs2812(pulses: Pulse[]): Ws2812Decode {
  const t = ws2812Timing;
  const bits: number[] = [];
  let i = 0;
  // A leading low (idle line) is not part of any bit.
  if (pulses[0] !== undefined && !pulses[0].high) i = 1;
  for (; i < pulses.length; i += 2) {
    const high = pulses[i]!;
    const low = pulses[i + 1];
    if (!high.high) return { ok: false, error: `pulse ${i}: expected a high pulse` };
    if (low === undefined) return { ok: false, error: "stream ends high: no reset" };
    const isLast = i + 2 >= pulses.length;
    let bit: number;
    if (Math.abs(high.nanoseconds - t.oneHighNs) <= t.highToleranceNs) bit = 1;
    else if (Math.abs(high.nanoseconds - t.zeroHighNs) <= t.highToleranceNs) bit = 0;
    else return { ok: false, error: `bit ${bits.length}: high for ${high.nanoseconds.toFixed(0)} ns is neither T0H nor T1H` };
    if (isLast) {
      // The last bit's low runs into the reset: its period cannot be measured apart.
      const resetNs = low.nanoseconds - (t.bitPeriodNs - high.nanoseconds);
      if (resetNs < t.resetMinNs) return { ok: false, error: `reset low is ${resetNs.toFixed(0)} ns, needs ≥ ${t.resetMinNs} ns` };
      bits.push(bit);
      if (bits.length % 8 !== 0) return { ok: false, error: `${bits.length} bits is not a whole number of bytes` };
      return { ok: true, bytes: packBits(bits), resetNs };
    }
    const period = high.nanoseconds + low.nanoseconds;
    if (Math.abs(period - t.bitPeriodNs) > t.bitPeriodToleranceNs) {
      return { ok: false, error: `bit ${bits.length}: period ${period.toFixed(0)} ns is outside ${t.bitPeriodNs}±${t.bitPeriodToleranceNs} ns` };
    }
    bits.push(bit);
  }
  return { ok: false, error: "no data bits before the reset" };
}

function packBits(bits: number[]): Uint8Array {
  const out = new Uint8Array(Math.floor(bits.length / 8));
  for (let i = 0; i < out.length * 8; i++) out[i >> 3]! |= bits[i]! << (7 - (i & 7));
  return out;
}
