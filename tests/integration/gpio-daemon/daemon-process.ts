/** Starts the real tree-gpio process (`bun gpio-daemon/src/main.ts`) for integration tests. */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

export const root = resolve(import.meta.dirname, "../../..");
export const mainPath = join(root, "gpio-daemon/src/main.ts");

export interface DaemonProcess {
  dir: string;
  socket: string;
  stateFile: string;
  process: Bun.Subprocess<"ignore", "pipe", "pipe">;
  stderr(): string;
  /** Resolves with the exit code. */
  exited: Promise<number>;
  cleanup(): Promise<void>;
}

/** Runs the daemon with `args`; resolves once it listens (or rejects with its stderr if it exits first). */
export async function spawnDaemon(args: string[] = [], env: Record<string, string> = {}): Promise<DaemonProcess> {
  const dir = mkdtempSync(join(tmpdir(), "tree-gpio-proc-"));
  const socket = join(dir, "gpio.sock");
  const stateFile = join(dir, "state.json");
  const child = Bun.spawn([process.execPath, mainPath, "--socket", socket, "--state-file", stateFile, "--draw", "never", ...args], {
    cwd: root,
    env: { PATH: process.env.PATH ?? "", ...env },
    stdin: "ignore",
    stdout: "pipe",
    stderr: "pipe",
  });
  let errText = "";
  const decoder = new TextDecoder();
  const reader = child.stderr.getReader();
  const listening = (async () => {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return false;
      errText += decoder.decode(value);
      if (errText.includes("listening on")) return true;
    }
  })();
  const ready = await listening;
  // Keep draining stderr so the child never blocks on a full pipe.
  void (async () => {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      errText += decoder.decode(value);
    }
  })();
  const handle: DaemonProcess = {
    dir,
    socket,
    stateFile,
    process: child,
    stderr: () => errText,
    exited: child.exited,
    async cleanup() {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
      await child.exited;
      rmSync(dir, { recursive: true, force: true });
    },
  };
  if (!ready) {
    await handle.cleanup();
    throw new Error(`tree-gpio exited before listening (code ${child.exitCode}):\n${errText}`);
  }
  return handle;
}

/** Runs the daemon to completion (for --help and configuration errors). */
export function runDaemon(args: string[], env: Record<string, string> = {}): { exitCode: number; stdout: string; stderr: string } {
  const child = Bun.spawnSync([process.execPath, mainPath, ...args], { cwd: root, env: { PATH: process.env.PATH ?? "", ...env } });
  return { exitCode: child.exitCode ?? -1, stdout: child.stdout.toString(), stderr: child.stderr.toString() };
}
