/**
 * The seam between the daemon and the LEDs. The daemon does all the thinking
 * (validation, colour order, brightness cap, current limiter) and hands a driver
 * bytes in wire order; a driver only puts them on the strip.
 */
export type ColorOrder = "RGB" | "RBG" | "GRB" | "GBR" | "BRG" | "BGR" | "RGBW" | "GRBW";

/** Every colour order the daemon can produce, for schemas and help texts. */
export const colorOrders: readonly ColorOrder[] = ["RGB", "RBG", "GRB", "GBR", "BRG", "BGR", "RGBW", "GRBW"];

/** Bytes one LED takes on the wire: 4 for strips with a white chip, else 3. */
export function bytesPerLed(order: ColorOrder): 3 | 4 {
  return order.length === 4 ? 4 : 3;
}

export interface DriverOptions {
  ledCount: number;
  colorOrder: ColorOrder;
  /** BCM GPIO number the strip's data line is on (PWM/PCM drivers). */
  gpioPin: number;
  /** SPI device node (SPI driver); a regular file works too, for tests. */
  spiDevice?: string;
  /** DMA channel (rpi_ws281x driver). 10 is safe; 5 corrupts the SD card on a Pi 3B. */
  dmaChannel?: number;
  /** Where a driver writes its one-line notes (the daemon's log, stderr). */
  log?: (message: string) => void;
}

export interface LedDriver {
  /** Short name shown in `info` and logs, e.g. "simulator", "spi", "ws281x". */
  readonly name: string;
  /**
   * Shows one frame. `wire` holds ledCount × (3 or 4 for RGBW) bytes, already in the
   * strip's colour order and already scaled by brightness and the limiter.
   * The daemon reuses `wire` for the next frame once this returns (or its promise
   * settles): a driver that needs the bytes later must copy them.
   */
  render(wire: Uint8Array): void | Promise<void>;
  /** Turns every LED off. Must work after a failed render. */
  allOff(): void | Promise<void>;
  /** Releases the hardware. The strip is dark afterwards. */
  close(): void | Promise<void>;
}
