/**
 * Driver name → factory. The one place that knows which drivers exist: the
 * config checks `--driver` against `driverNames`, main.ts calls `createDriver`.
 * A hardware driver registers here with a factory that imports its module
 * lazily (`await import("./spi.ts")`), so a daemon on the simulator never loads
 * FFI code it does not need.
 */
import type { DaemonConfig } from "../config.ts";
import type { DriverOptions, LedDriver } from "./driver.ts";

export type DriverFactory = (options: DriverOptions, config: DaemonConfig) => Promise<LedDriver>;

export const driverFactories: Record<string, DriverFactory> = {
  simulator: async (options, config) => {
    const { SimulatorDriver } = await import("./simulator.ts");
    const draw = config.draw === "always" || (config.draw === "auto" && process.stdout.isTTY === true);
    return new SimulatorDriver({ ...options, stateFile: config.stateFile || undefined, draw });
  },
  spi: async (options) => {
    const { createSpiDriver } = await import("./spi.ts");
    return createSpiDriver(options);
  },
  ws281x: async (options) => {
    const { createWs281xDriver } = await import("./ws281x.ts");
    return createWs281xDriver(options);
  },
  // Reads the board's device-tree model: Pi 5 → spi, other Pi → ws281x, elsewhere → simulator.
  auto: async (options, config) => {
    const { chooseDriver, detectBoard } = await import("./detect-board.ts");
    const choice = chooseDriver(detectBoard(), options.gpioPin);
    options.log?.(`driver auto: ${choice.reason}`);
    return driverFactories[choice.driver]!(options, config);
  },
};

export const driverNames: readonly string[] = Object.keys(driverFactories);

/** The options every driver gets, taken from the daemon's configuration. */
export function driverOptions(config: DaemonConfig, log: (message: string) => void): DriverOptions {
  const { ledCount, colorOrder, gpioPin, spiDevice, dmaChannel } = config;
  return { ledCount, colorOrder, gpioPin, spiDevice, dmaChannel, log };
}

export async function createDriver(config: DaemonConfig, log: (message: string) => void): Promise<LedDriver> {
  const factory = driverFactories[config.driver];
  if (factory === undefined) throw new Error(`unknown driver "${config.driver}" (known: ${driverNames.join(", ")})`);
  return factory(driverOptions(config, log), config);
}
