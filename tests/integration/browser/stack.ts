/**
 * The real stack for browser tests: the integration tests' stack (tree-gpio on
 * the simulated strip and tree-app, each its own process, in a fresh temp
 * directory, on a free port), seen through the names the browser tests use.
 */
import { startStack as startAppStack, type StackOptions } from "../app/stack.ts";

export type { StackOptions };

export interface Stack {
  baseUrl: string;
  dir: string;
  gpioSocket: string;
  /** What the app printed, for failure messages. */
  logs(): string;
  /** Stops only tree-gpio, as when the LED side fails; the app keeps serving. */
  stopDaemon(): Promise<void>;
  /** Stops tree-app and starts it again on the same port and data directory. */
  restartApp(): Promise<void>;
  stop(): Promise<void>;
}

export async function startStack(options: StackOptions = {}): Promise<Stack> {
  const stack = await startAppStack(options);
  const port = new URL(stack.url).port;
  return {
    baseUrl: stack.url,
    dir: stack.dir,
    gpioSocket: stack.socketPath,
    logs: stack.appOutput,
    stopDaemon: stack.stopDaemon,
    async restartApp() {
      await stack.stopApp();
      await stack.startApp(options.appArgs, port);
    },
    stop: stack.stop,
  };
}
