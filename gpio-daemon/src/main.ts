/**
 * tree-gpio's composition root: check the configuration, open the driver,
 * build the strip and the handlers, listen. On SIGTERM/SIGINT: every LED off,
 * driver closed, socket removed, exit 0.
 * Exit codes: 0 clean stop, 1 could not start (driver, socket) or crashed (strip turned off
 * first), 2 bad configuration.
 */
import { helpText, loadConfig, type DaemonConfig } from "./config.ts";
import { createDriver } from "./drivers/index.ts";
import { createLineHandler, infoReply } from "./handlers.ts";
import { startServer, type RunningServer } from "./server.ts";
import { resolveGroup } from "./socket-file.ts";
import { Strip } from "./strip.ts";
import type { LedDriver } from "./drivers/driver.ts";

const log = (message: string) => console.error(`tree-gpio: ${message}`);

async function start(config: DaemonConfig, gid: number | undefined): Promise<{ stop(): Promise<void> }> {
  const driver: LedDriver = await createDriver(config, log);
  let server: RunningServer | undefined;
  try {
    const strip = new Strip(driver, config);
    await strip.off();
    const info = infoReply(strip, driver.name, config.colorOrder, config.brightnessCapPercent);
    server = await startServer({
      path: config.socket,
      gid,
      handleLine: createLineHandler({ strip, ledCount: config.ledCount, info }),
      onWriterGone: () => strip.off(),
      log,
    });
    log(
      `listening on ${config.socket}: ${config.ledCount} leds, ${config.colorOrder}, driver ${driver.name}, ` +
        `budget ${strip.plan.budgetMilliamps} mA, brightness cap ${config.brightnessCapPercent}%`,
    );
    const running = server;
    return {
      async stop() {
        await running.close();
        await strip.off();
        await driver.close();
      },
    };
  } catch (error) {
    await server?.close();
    await driver.close();
    throw error;
  }
}

export async function main(args: string[], env: Record<string, string | undefined> = process.env): Promise<number> {
  const loaded = loadConfig(args, env);
  if (!loaded.ok) {
    for (const error of loaded.errors) console.error(error);
    console.error("(tree-gpio --help lists every setting)");
    return 2;
  }
  if (loaded.help) {
    console.log(helpText());
    return 0;
  }
  let gid: number | undefined;
  try {
    gid = resolveGroup(loaded.config.socketGroup);
  } catch (error) {
    console.error((error as Error).message);
    return 2;
  }
  let daemon: { stop(): Promise<void> };
  try {
    daemon = await start(loaded.config, gid);
  } catch (error) {
    log(`cannot start: ${(error as Error).message}`);
    return 1;
  }
  return new Promise<number>((resolve) => {
    let stopping = false;
    const stop = (signal: string) => {
      if (stopping) return;
      stopping = true;
      log(`${signal}: turning the strip off and stopping`);
      daemon.stop().then(
        () => resolve(0),
        (error) => {
          log(`stopping failed: ${(error as Error).message}`);
          resolve(1);
        },
      );
    };
    process.once("SIGTERM", () => stop("SIGTERM"));
    process.once("SIGINT", () => stop("SIGINT"));
    // A bug must not leave the tree lit and the daemon half-alive: go dark, exit 1, let the supervisor restart us.
    const crash = (error: unknown) => {
      log(`internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
      if (stopping) return resolve(1);
      stopping = true;
      const giveUpMs = 2000;
      Promise.race([daemon.stop(), Bun.sleep(giveUpMs)]).finally(() => resolve(1));
    };
    process.on("uncaughtException", crash);
    process.on("unhandledRejection", crash);
  });
}

if (import.meta.main) process.exit(await main(process.argv.slice(2)));
