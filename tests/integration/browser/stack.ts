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

/** The operator password of `startWalkthroughStack()`. */
export const walkthroughOperatorPassword = "correct horse battery";

/**
 * The stack the walks through every page use (the accessibility check, the screenshot tour): no
 * idle show to draw over what is looked at, room for many uploads from one address, and an
 * operator who can sign in with `walkthroughOperatorPassword`.
 */
export function startWalkthroughStack(): Promise<Stack> {
  return startStack({
    appArgs: ["--idle-show", "false", "--uploads-per-minute-per-ip", "100", "--max-pending-per-user", "10"],
    appEnv: { TREE_APP_OPERATOR_PASSWORD: walkthroughOperatorPassword },
  });
}

/**
 * Someone else's programs waiting in the queue (each keeps its colour for 30 s), so the queue and
 * the operator view have rows to show, as on a busy night. `rgb` is "R, G, B".
 */
export async function queueSomeoneElsesPrograms(baseUrl: string, colours: string[]): Promise<void> {
  for (const rgb of colours) {
    const response = await fetch(`${baseUrl}/upload`, {
      method: "POST",
      headers: { "content-type": "application/json", "user-agent": "someone-else/1.0" },
      body: JSON.stringify({ code: `import time\nsetLEDs([[${rgb}, 100]] * getLEDCount())\ntime.sleep(30)\n` }),
    });
    if (response.status !== 201) throw new Error(`upload refused (${response.status}): ${await response.text()}`);
  }
}
