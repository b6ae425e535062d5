/**
 * `--driver ws281x`: the rpi_ws281x C library (PWM on GPIO 18/12 or 13/19, PCM
 * on GPIO 21) reached through bun:ffi. Needs root for /dev/mem; not on a Pi 5.
 * The daemon has already ordered, dimmed and limited the bytes, so the library
 * runs at full brightness as a plain RGB(W) strip and sends them as given.
 */
import { detectBoard, noModel, type Board } from "./detect-board.ts";
import { bytesPerLed, type DriverOptions, type LedDriver } from "./driver.ts";
import { ws281xFailure } from "./ws281x-codes.ts";
import { loadWs281xLibrary, type Ws281xLibrary } from "./ws281x-library.ts";

/** GPIOs rpi_ws281x can drive on a 40-pin Pi, other than SPI's GPIO 10 (use the spi driver there). */
export const ws281xPins = [12, 13, 18, 19, 21] as const;
export const defaultDmaChannel = 10;
/** The library's own brightness is left at full: the daemon scales frames itself. */
const fullBrightness = 255;

export interface Ws281xDriverOptions extends DriverOptions {
  /** Path of libtreews281x-linux-<arch>.so; default: beside the binary, then dist/. */
  ws281xLibrary?: string;
  /** Overridable for tests; read from the device tree by default. */
  board?: Board;
  /** An already loaded library (tests off a Pi inject one that records frames). */
  library?: Ws281xLibrary;
}

export class Ws281xError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

function notAPi(board: Board): Ws281xError {
  if (board.kind === "pi5") {
    return new Ws281xError("HW_NOT_SUPPORTED", `ws281x: rpi_ws281x does not support the ${board.model}: use --driver spi with the data line on GPIO 10`);
  }
  if (board.kind === "pi") {
    return new Ws281xError("HW_NOT_SUPPORTED", `ws281x: rpi_ws281x does not know this board's revision (${board.model}): try --driver spi`);
  }
  if (board.model === noModel) {
    // Docker hides the device tree, so this may still be a Pi 5 (unsupported) in a container.
    return new Ws281xError(
      "HW_NOT_SUPPORTED",
      `ws281x: not a Raspberry Pi (${noModel}; a Pi 5 also ends up here); use --driver simulator off a Pi, --driver spi on a Pi 5`,
    );
  }
  return new Ws281xError("HW_NOT_SUPPORTED", `ws281x: not a Raspberry Pi (${board.model}); use --driver simulator off a Pi`);
}

export class Ws281xDriver implements LedDriver {
  readonly name = "ws281x";
  readonly #lib: Ws281xLibrary;
  readonly #dark: Uint8Array;
  #open = true;

  private constructor(lib: Ws281xLibrary, wireBytes: number) {
    this.#lib = lib;
    this.#dark = new Uint8Array(wireBytes);
  }

  static async open(options: Ws281xDriverOptions): Promise<Ws281xDriver> {
    if (!(ws281xPins as readonly number[]).includes(options.gpioPin)) {
      const spiHint = options.gpioPin === 10 ? " (GPIO 10 is SPI: use --driver spi)" : "";
      throw new Ws281xError("ILLEGAL_GPIO", `ws281x: GPIO ${options.gpioPin} cannot drive the strip; use ${ws281xPins.join(", ")}${spiHint}`);
    }
    const lib = options.library ?? (await loadWs281xLibrary(options.ws281xLibrary));
    const channels = bytesPerLed(options.colorOrder);
    const dma = options.dmaChannel ?? defaultDmaChannel;
    try {
      // Ask before touching hardware: rpi_ws281x would only say "hardware revision is not supported".
      if (!lib.boardKnown()) throw notAPi(options.board ?? detectBoard());
      const rc = lib.init(options.gpioPin, options.ledCount, channels, dma, fullBrightness);
      if (rc !== 0) {
        const failure = ws281xFailure(rc, lib.lastErrno(), lib.returnText(rc));
        if (failure.code === "HW_NOT_SUPPORTED") throw notAPi(options.board ?? detectBoard());
        throw new Ws281xError(failure.code, `ws281x: ${failure.message}`);
      }
    } catch (error) {
      lib.close();
      throw error;
    }
    options.log?.(`ws281x: ${options.ledCount} ${options.colorOrder} LEDs on GPIO ${options.gpioPin}, DMA ${dma}, library ${lib.path}`);
    const driver = new Ws281xDriver(lib, options.ledCount * channels);
    driver.allOff();
    return driver;
  }

  render(wire: Uint8Array): void {
    if (!this.#open) throw new Ws281xError("NOT_STARTED", "ws281x: the driver is closed");
    if (wire.length !== this.#dark.length) throw new RangeError(`ws281x: expected ${this.#dark.length} wire bytes, got ${wire.length}`);
    const rc = this.#lib.render(wire);
    if (rc !== 0) {
      const failure = ws281xFailure(rc, this.#lib.lastErrno(), this.#lib.returnText(rc));
      throw new Ws281xError(failure.code, `ws281x: ${failure.message}`);
    }
  }

  allOff(): void {
    this.render(this.#dark);
  }

  close(): void {
    if (!this.#open) return;
    try {
      this.allOff();
    } finally {
      this.#open = false;
      this.#lib.fini();
    }
  }
}

export function createWs281xDriver(options: Ws281xDriverOptions): Promise<Ws281xDriver> {
  return Ws281xDriver.open(options);
}
