/**
 * Which board we are on, from the device tree's model string ("Raspberry Pi 4
 * Model B Rev 1.4"). `--driver auto` uses it: the Pi 5's RP1 chip is not
 * supported by rpi_ws281x, so it gets SPI; older Pis get rpi_ws281x (PWM); a
 * machine that is not a Pi gets the simulator.
 */
import { readFileSync } from "node:fs";

export const modelPaths = ["/proc/device-tree/model", "/sys/firmware/devicetree/base/model"] as const;

export type BoardKind = "pi5" | "pi" | "other";

export interface Board {
  kind: BoardKind;
  /** The model string, or a description of why none was found. */
  model: string;
}

/** Reads the first model file that exists; the string ends in a NUL there. */
export function readBoardModel(paths: readonly string[] = modelPaths): string | undefined {
  for (const path of paths) {
    try {
      return readFileSync(path, "latin1").replace(/\0+$/, "").trim();
    } catch {
      // absent: try the next path
    }
  }
  return undefined;
}

/** What `Board.model` says when no model file could be read (no Pi, or a container hiding it). */
export const noModel = "no device-tree model";

export function classifyBoard(model: string | undefined): Board {
  if (model === undefined) return { kind: "other", model: noModel };
  if (/^Raspberry Pi (5|500|Compute Module 5)\b/.test(model)) return { kind: "pi5", model };
  if (/^Raspberry Pi\b/.test(model)) return { kind: "pi", model };
  return { kind: "other", model };
}

export function detectBoard(paths: readonly string[] = modelPaths): Board {
  return classifyBoard(readBoardModel(paths));
}

/** SPI0 MOSI: the only pin the spi driver can drive. */
export const spiDataPin = 10;

export interface AutoChoice {
  driver: "simulator" | "spi" | "ws281x";
  /** One line for the log: what was found and why this driver. */
  reason: string;
}

/**
 * Picks a driver for `board`. The strip is wired to one pin, so the configured
 * GPIO matters too: GPIO 10 always means SPI.
 */
export function chooseDriver(board: Board, gpioPin: number): AutoChoice {
  if (board.kind === "other") return { driver: "simulator", reason: `${board.model}: not a Raspberry Pi, using the simulator` };
  if (gpioPin === spiDataPin) return { driver: "spi", reason: `${board.model}, data on GPIO ${spiDataPin}: using spi` };
  if (board.kind === "pi5") {
    return {
      driver: "spi",
      reason: `${board.model}: rpi_ws281x does not support the Pi 5, using spi; the data line must be on GPIO ${spiDataPin} (SPI0 MOSI), not GPIO ${gpioPin}`,
    };
  }
  return { driver: "ws281x", reason: `${board.model}: using ws281x (PWM/PCM on GPIO ${gpioPin}, needs root)` };
}
