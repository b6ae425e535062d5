/**
 * The real stack for browser tests: tree-gpio on the simulated strip and tree-app serving the
 * bundled pages, each its own process, in a fresh temp directory, on a free port. stop() ends both
 * (SIGTERM, then SIGKILL if they linger) and removes the directory.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const root = join(import.meta.dirname, "..", "..", "..");
const bun = process.execPath;

export interface Stack {
  baseUrl: string;
  dir: string;
  gpioSocket: string;
  /** Everything both processes printed, for failure messages. */
  logs(): string;
  /** Stops only tree-gpio, as when the LED side fails; the app keeps serving. */
  stopDaemon(): Promise<void>;
  /** Stops tree-app and starts it again on the same port and data directory. */
  restartApp(): Promise<void>;
  stop(): Promise<void>;
}

export interface StackOptions {
  ledCount?: number;
  /** Extra `tree-app serve` flags, e.g. ["--slot-seconds", "10"]. */
  appArgs?: string[];
  appEnv?: Record<string, string>;
  startTimeoutMs?: number;
}

export async function startStack(options: StackOptions = {}): Promise<Stack> {
  const dir = mkdtempSync(join(tmpdir(), "tree-browser-"));
  const gpioSocket = join(dir, "gpio.sock");
  const output: string[] = [];
  const children: ChildProcess[] = [];
  const timeoutMs = options.startTimeoutMs ?? 30_000;

  const launch = (name: string, args: string[], env: Record<string, string> = {}) => {
    const child = spawn(bun, args, { cwd: root, env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] });
    children.push(child);
    const collect = (chunk: Buffer) => output.push(`[${name}] ${chunk.toString()}`);
    child.stdout!.on("data", collect);
    child.stderr!.on("data", collect);
    return child;
  };

  const stop = async () => {
    await Promise.all(children.reverse().map((child) => stopChild(child)));
    rmSync(dir, { recursive: true, force: true });
  };

  try {
    const daemon = launch("gpio", ["gpio-daemon/src/main.ts", "--socket", gpioSocket, "--led-count", String(options.ledCount ?? 50), "--driver", "simulator"]);
    await waitForOutput(daemon, /listening on /, timeoutMs, () => output.join(""));
    const startApp = async (port: string) => {
      const app = launch(
        "app",
        ["appliance/src/main.ts", "serve", "--port", port, "--host", "127.0.0.1", "--data-dir", join(dir, "data"), "--gpio-socket", gpioSocket, ...(options.appArgs ?? [])],
        options.appEnv,
      );
      const line = await waitForOutput(app, /listening on (http:\/\/\S+)/, timeoutMs, () => output.join(""));
      return { app, port: new URL(line[1]!).port };
    };
    let { app, port } = await startApp("0");
    const restartApp = async () => {
      await stopChild(app);
      ({ app } = await startApp(port));
    };
    return { baseUrl: `http://127.0.0.1:${port}`, dir, gpioSocket, logs: () => output.join(""), stopDaemon: () => stopChild(daemon), restartApp, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

function waitForOutput(child: ChildProcess, pattern: RegExp, timeoutMs: number, logs: () => string): Promise<RegExpExecArray> {
  return new Promise((resolve, reject) => {
    let seen = "";
    const timer = setTimeout(() => finish(new Error(`timed out waiting for ${pattern}:\n${logs()}`)), timeoutMs);
    const onData = (chunk: Buffer) => {
      seen += chunk.toString();
      const match = pattern.exec(seen);
      if (match !== null) finish(undefined, match);
    };
    const onExit = (code: number | null) => finish(new Error(`process exited (${code}) before ${pattern}:\n${logs()}`));
    const finish = (error?: Error, match?: RegExpExecArray) => {
      clearTimeout(timer);
      child.stdout!.off("data", onData);
      child.stderr!.off("data", onData);
      child.off("exit", onExit);
      if (error !== undefined) reject(error);
      else resolve(match!);
    };
    child.stdout!.on("data", onData);
    child.stderr!.on("data", onData);
    child.once("exit", onExit);
  });
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const kill = setTimeout(() => child.kill("SIGKILL"), 5000);
    child.once("exit", () => {
      clearTimeout(kill);
      resolve();
    });
    child.kill("SIGTERM");
  });
}
