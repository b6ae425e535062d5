/**
 * Runs commands for the container smoke test, printing each one first, so CI's log
 * reads as the list of what was done.
 */
import { spawn, spawnSync, type SpawnSyncOptions } from "node:child_process";
import { closeSync, openSync, readFileSync } from "node:fs";
import { createServer } from "node:net";

export interface Ran {
  status: number;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  cwd?: string;
  env?: Record<string, string | undefined>;
  input?: string;
  timeoutMs?: number;
  /** Stream output to the log instead of capturing it (long builds). */
  stream?: boolean;
  /** Do not print the command (polling loops). */
  quiet?: boolean;
}

const defaultTimeoutMs = 10 * 60_000;

/** A command as the log shows it: words quoted only where the shell would need it. */
const shown = (command: readonly string[]) => command.map((part) => (/^[\w./:=@%+-]+$/.test(part) ? part : JSON.stringify(part))).join(" ");

export function run(command: readonly string[], options: RunOptions = {}): Ran {
  if (!options.quiet) console.log(`  $ ${shown(command)}`);
  const spawnOptions: SpawnSyncOptions = {
    cwd: options.cwd,
    env: { ...process.env, ...options.env },
    input: options.input,
    timeout: options.timeoutMs ?? defaultTimeoutMs,
    stdio: options.stream ? ["pipe", "inherit", "inherit"] : "pipe",
    maxBuffer: 64 * 1024 * 1024,
  };
  const [file, ...args] = command;
  const result = spawnSync(file!, args, spawnOptions);
  const text = (value: unknown) => (value === null || value === undefined ? "" : String(value));
  const stderr = result.error ? `${text(result.stderr)}${result.error.message}` : text(result.stderr);
  return { status: result.status ?? -1, stdout: text(result.stdout), stderr };
}

/** Like `run`, but a failure throws with the command's output tail. */
export function must(command: readonly string[], options: RunOptions = {}): Ran {
  const result = run(command, options);
  if (result.status !== 0) {
    const tail = `${result.stdout}\n${result.stderr}`.trim().split("\n").slice(-25).join("\n");
    throw new Error(`${command.join(" ")} exited ${result.status}\n${tail}`);
  }
  return result;
}

export function has(command: string): boolean {
  return run(["sh", "-c", `command -v ${command}`], { quiet: true }).status === 0;
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls `probe` until it returns a value or `timeoutMs` passes; the error names what was awaited. */
export async function waitFor<T>(what: string, timeoutMs: number, probe: () => T | undefined | Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (error) {
      last = error;
    }
    await sleep(1000);
  }
  throw new Error(`gave up waiting ${timeoutMs / 1000} s for ${what}${last ? `: ${(last as Error).message}` : ""}`);
}

/** Installs Debian packages (CI runs as root on a Debian machine). */
export function aptInstall(packages: readonly string[]): void {
  if (process.getuid?.() !== 0) throw new Error(`missing ${packages.join(", ")}: run as root or apt-get install them`);
  console.log(`  installing Debian packages: ${packages.join(", ")}`);
  must(["sh", "-c", `flock /tmp/apt.lock sh -c 'apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q ${packages.join(" ")}'`], { stream: true });
}

/** A TCP port on 127.0.0.1 that nothing listens on right now (for a forwarded or published port). */
export async function freePort(): Promise<number> {
  return await new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => (typeof address === "object" && address ? resolve(address.port) : reject(new Error("no free port"))));
    });
  });
}

/**
 * Runs a long command in the background, its output going to `logFile` instead of the
 * console (so two builds at once do not interleave). Resolves when it exits 0; rejects
 * with the log's tail otherwise. Lets a slow emulated build run beside another one.
 */
export function mustInBackground(command: readonly string[], logFile: string, options: { timeoutMs: number; env?: Record<string, string | undefined> }): Promise<void> {
  console.log(`  $ ${shown(command)} > ${logFile}`);
  const out = openSync(logFile, "w");
  const [file, ...args] = command;
  const child = spawn(file!, args, { env: { ...process.env, ...options.env }, stdio: ["ignore", out, out] });
  closeSync(out);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => child.kill("SIGKILL"), options.timeoutMs);
    child.on("error", (error) => { clearTimeout(timer); reject(error); });
    child.on("exit", (code, signal) => {
      clearTimeout(timer);
      if (code === 0) return resolve();
      const tail = readFileSync(logFile, "utf8").trim().split("\n").slice(-25).join("\n");
      reject(new Error(`${command.join(" ")} ${signal ? `was killed (${signal}${signal === "SIGKILL" ? `, over ${options.timeoutMs / 60_000} min` : ""})` : `exited ${code}`} (log: ${logFile})\n${tail}`));
    });
  });
}
