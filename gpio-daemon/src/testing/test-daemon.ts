/** An in-process daemon on a real Unix socket in a fresh temp dir, for tests. */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { DriverOptions, LedDriver } from "../drivers/driver.ts";
import { SimulatorDriver } from "../drivers/simulator.ts";
import { createLineHandler, infoReply } from "../handlers.ts";
import { startServer, type RunningServer } from "../server.ts";
import { Strip, type StripOptions } from "../strip.ts";

export interface TestDaemon {
  dir: string;
  path: string;
  strip: Strip;
  driver: LedDriver;
  server: RunningServer;
  logs: string[];
  stop(): Promise<void>;
}

export async function startTestDaemon(
  options: Partial<StripOptions> & { driver?: (options: DriverOptions) => LedDriver; path?: string } = {},
): Promise<TestDaemon> {
  const settings: StripOptions = {
    ledCount: 50,
    colorOrder: "GRB",
    brightnessCapPercent: 100,
    psuAmps: 100,
    reserveMilliamps: 0,
    milliampsPerLed: 60,
    idleMilliampsPerLed: 1,
    ...options,
  };
  const dir = mkdtempSync(join(tmpdir(), "tree-gpio-"));
  const path = options.path ?? join(dir, "gpio.sock");
  const driverOptions = { ledCount: settings.ledCount, colorOrder: settings.colorOrder, gpioPin: 18 };
  const driver = options.driver?.(driverOptions) ?? new SimulatorDriver(driverOptions);
  const strip = new Strip(driver, settings);
  const logs: string[] = [];
  const info = infoReply(strip, driver.name, settings.colorOrder, settings.brightnessCapPercent);
  let server: RunningServer;
  try {
    server = await startServer({
      path,
      handleLine: createLineHandler({ strip, ledCount: settings.ledCount, info }),
      onWriterGone: () => strip.off(),
      log: (message) => logs.push(message),
    });
  } catch (error) {
    await driver.close();
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  return {
    dir,
    path,
    strip,
    driver,
    server,
    logs,
    async stop() {
      await server.close();
      await driver.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A frame of `count` LEDs, all the same state, as one wire line (no newline). */
export const uniformFrame = (count: number, state: readonly number[] = [0, 0, 255, 100]) =>
  `[${Array.from({ length: count }, () => `[${state.join(",")}]`).join(",")}]`;
