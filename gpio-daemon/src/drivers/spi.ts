/**
 * `--driver spi`: WS2812 strips on SPI0 MOSI (GPIO 10) through spidev. Works on
 * every 64-bit Pi including the Pi 5, needs no root and no native addon. The
 * daemon hands over wire-order bytes (3 or 4 per LED); this encodes them into
 * one preallocated SPI buffer and writes it once per frame.
 */
import { bytesPerLed, type DriverOptions, type LedDriver } from "./driver.ts";
import { openSpiOutput, type SpiOutput } from "./spi-device.ts";
import { encodeSpiFrame, spiClockHz, spiFrameLength } from "./spi-encoding.ts";

export const defaultSpiDevice = "/dev/spidev0.0";

export interface SpiDriverOptions extends DriverOptions {
  /** Overridable for tests: where spidev's buffer size is read. */
  bufsizPath?: string;
}

export class SpiDriver implements LedDriver {
  readonly name = "spi";
  readonly #output: SpiOutput;
  readonly #wireBytes: number;
  readonly #buffer: Uint8Array;
  readonly #dark: Uint8Array;
  #closed = false;

  private constructor(output: SpiOutput, wireBytes: number) {
    this.#output = output;
    this.#wireBytes = wireBytes;
    this.#buffer = new Uint8Array(spiFrameLength(wireBytes));
    this.#dark = encodeSpiFrame(new Uint8Array(wireBytes));
  }

  static async open(options: SpiDriverOptions): Promise<SpiDriver> {
    const wireBytes = options.ledCount * bytesPerLed(options.colorOrder);
    const path = options.spiDevice ?? defaultSpiDevice;
    const output = await openSpiOutput(path, { frameBytes: spiFrameLength(wireBytes), bufsizPath: options.bufsizPath });
    const where = output.isDevice ? `${path} at ${spiClockHz / 1e6} MHz` : `${path} (a regular file, not a device)`;
    options.log?.(`spi: ${options.ledCount} ${options.colorOrder} LEDs on ${where}, ${spiFrameLength(wireBytes)} bytes per frame`);
    const driver = new SpiDriver(output, wireBytes);
    driver.allOff();
    return driver;
  }

  render(wire: Uint8Array): void {
    if (wire.length !== this.#wireBytes) {
      throw new RangeError(`spi: expected ${this.#wireBytes} wire bytes, got ${wire.length}`);
    }
    this.#output.write(encodeSpiFrame(wire, this.#buffer));
  }

  allOff(): void {
    this.#output.write(this.#dark);
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    try {
      this.allOff();
    } finally {
      this.#output.close();
    }
  }
}

export function createSpiDriver(options: SpiDriverOptions): Promise<SpiDriver> {
  return SpiDriver.open(options);
}
