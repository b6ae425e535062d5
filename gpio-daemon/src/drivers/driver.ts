/**
 * The seam between the daemon and the LEDs. The daemon does all the thinking
 * (validation, colour order, brightness cap, current limiter) and hands a driver
 * bytes in wire order; a driver only puts them on the strip.
 */
export type ColorOrder = "RGB" | "RBG" | "GRB" | "GBR" | "BRG" | "BGR" | "RGBW" | "GRBW";

export interface DriverOptions {
  ledCount: number;
  colorOrder: ColorOrder;
  /** BCM GPIO number the strip's data line is on (PWM/PCM drivers). */
  gpioPin: number;
}

export interface LedDriver {
  /** Short name shown in `info` and logs, e.g. "simulator", "spi", "ws281x". */
  readonly name: string;
  /**
   * Shows one frame. `wire` holds ledCount × (3 or 4 for RGBW) bytes, already in the
   * strip's colour order and already scaled by brightness and the limiter.
   */
  render(wire: Uint8Array): void | Promise<void>;
  /** Turns every LED off. Must work after a failed render. */
  allOff(): void | Promise<void>;
  /** Releases the hardware. The strip is dark afterwards. */
  close(): void | Promise<void>;
}
