/**
 * The real stack for integration tests: `tree-gpio` on the simulated strip and
 * `tree-app serve` as separate processes, in a fresh temp dir, on a free port.
 * The app prints `tree-app: listening on URL` once ready; that line is awaited.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import type { Subprocess } from "bun";
import { listeningPrefix } from "../../../appliance/src/cli/serve.ts";

const root = resolve(import.meta.dirname, "../../..");
const bun = process.execPath;

export interface Stack {
  dir: string;
  dataDir: string;
  socketPath: string;
  /** The simulated strip's state file (gpio-daemon --state-file), when asked for. */
  stateFile: string | null;
  url: string;
  appOutput: () => string;
  /** Process id of the running app (benchmarks read its CPU and memory). */
  appPid: () => number;
  /** Process id of the running daemon (benchmarks read its CPU). */
  daemonPid: () => number;
  /** Starts the app; `port` "0" picks a free one, a number restarts it where it was. */
  startApp(extraArgs?: string[], port?: string): Promise<void>;
  stopApp(signal?: NodeJS.Signals): Promise<number>;
  stopDaemon(): Promise<void>;
  stop(): Promise<void>;
}

async function readUntil(process: Subprocess<"ignore", "pipe", "pipe">, pattern: RegExp, output: { text: string }, limitMs: number): Promise<RegExpMatchArray> {
  const reader = process.stdout.getReader();
  const decoder = new TextDecoder();
  const deadline = Date.now() + limitMs;
  try {
    for (;;) {
      const match = output.text.match(pattern);
      if (match) return match;
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`timed out waiting for ${pattern}; output so far:\n${output.text}`);
      const chunk = await Promise.race([reader.read(), Bun.sleep(left).then(() => null)]);
      if (chunk === null) continue;
      if (chunk.done) throw new Error(`process exited before ${pattern}; output:\n${output.text}`);
      output.text += decoder.decode(chunk.value);
    }
  } finally {
    // Keep draining so the child never blocks on a full pipe.
    void (async () => {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        output.text += decoder.decode(value);
      }
    })().catch(() => undefined);
  }
}

export interface StackOptions {
  ledCount?: number;
  /** Extra `tree-app serve` flags, e.g. ["--slot-seconds", "10"]. */
  appArgs?: string[];
  /** Extra environment for the app, e.g. { TREE_APP_OPERATOR_PASSWORD: "..." }. */
  appEnv?: Record<string, string>;
  /** false: no daemon at all (the tree is offline). */
  daemon?: boolean;
  /** true: the simulator mirrors what the strip shows into `Stack.stateFile` (read it with readStripState). */
  stripStateFile?: boolean;
}

/** What the simulated strip shows now (gpio-daemon/src/drivers/simulator.ts, `SimulatorState`). */
export function readStripState(path: string): { ledCount: number; frames: number; lit: number; rgb: Uint8Array } {
  const state = JSON.parse(readFileSync(path, "utf8")) as { ledCount: number; frames: number; lit: number; rgb: string };
  return { ...state, rgb: new Uint8Array(Buffer.from(state.rgb, "base64")) };
}

export async function startStack(options: StackOptions = {}): Promise<Stack> {
  const dir = mkdtempSync(join(tmpdir(), "tree-stack-"));
  const dataDir = join(dir, "data");
  const socketPath = join(dir, "gpio.sock");
  const stateFile = options.stripStateFile === true ? join(dir, "strip-state.json") : null;
  let daemon: Subprocess | null = null;
  if (options.daemon !== false) {
    const stateArgs = stateFile === null ? [] : ["--state-file", stateFile];
    daemon = Bun.spawn([bun, join(root, "gpio-daemon/src/main.ts"), "--socket", socketPath, "--led-count", String(options.ledCount ?? 50), "--driver", "simulator", ...stateArgs], {
      cwd: root,
      stdio: ["ignore", "ignore", "pipe"],
    });
    const deadline = Date.now() + 10_000;
    while (!existsSync(socketPath)) {
      if (Date.now() > deadline || daemon.exitCode !== null) {
        daemon.kill("SIGKILL");
        throw new Error(`tree-gpio did not start: ${await new Response(daemon.stderr as ReadableStream).text()}`);
      }
      await Bun.sleep(20);
    }
    // Keep draining its log so the daemon never blocks on a full pipe.
    void new Response(daemon.stderr as ReadableStream).text().catch(() => undefined);
  }
  let app: Subprocess<"ignore", "pipe", "pipe"> | null = null;
  const output = { text: "" };
  const stack: Stack = {
    dir,
    dataDir,
    socketPath,
    stateFile,
    url: "",
    appOutput: () => output.text,
    appPid: () => {
      if (app === null) throw new Error("the app is not running");
      return app.pid;
    },
    daemonPid: () => {
      if (daemon === null) throw new Error("the daemon is not running");
      return daemon.pid;
    },
    async startApp(extraArgs = options.appArgs ?? [], port = "0") {
      output.text = "";
      app = Bun.spawn([bun, join(root, "appliance/src/main.ts"), "serve", "--port", port, "--host", "127.0.0.1", "--data-dir", dataDir, "--gpio-socket", socketPath, ...extraArgs], {
        cwd: root,
        env: { ...process.env, ...options.appEnv },
        stdio: ["ignore", "pipe", "pipe"],
      });
      const match = await readUntil(app, new RegExp(`${listeningPrefix}(http://\\S+)`), output, 20_000);
      stack.url = match[1]!;
    },
    async stopApp(signal = "SIGTERM") {
      if (app === null) return 0;
      app.kill(signal);
      const code = await app.exited;
      app = null;
      return code;
    },
    async stopDaemon() {
      daemon?.kill("SIGTERM");
      await daemon?.exited;
      daemon = null;
    },
    async stop() {
      await stack.stopApp("SIGKILL");
      await stack.stopDaemon();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  try {
    await stack.startApp();
  } catch (error) {
    await stack.stop();
    throw error;
  }
  return stack;
}
