/**
 * Running an arm64 binary under user-mode QEMU with a chosen CPU model, which
 * traps instructions that CPU lacks ("Illegal instruction", signal 4): the
 * cheap way to catch a Bun build a Pi 3 (Cortex-A53) or Pi 4 (Cortex-A72)
 * cannot run.
 */
import type { Subprocess } from "bun";

/** Cortex-A53: Pi 3, Zero 2 W, CM3+. Cortex-A72: Pi 4, 400, CM4. Cortex-A76: Pi 5, 500, CM5. */
export const cpus = ["cortex-a53", "cortex-a72", "cortex-a76"] as const;
export type Cpu = (typeof cpus)[number];

export interface Emulator {
  sysroot: string;
  cpu: Cpu;
}

export function qemuCommand(emulator: Emulator, binary: string, args: string[]): string[] {
  return ["qemu-aarch64-static", "-cpu", emulator.cpu, "-L", emulator.sysroot, binary, ...args];
}

export interface Finished {
  exitCode: number | null;
  signal: string | null;
  stdout: string;
  stderr: string;
}

/**
 * The same, as PID 1 of a pid namespace of its own. tree-app makes itself the
 * child subreaper of its sandboxes (prctl PR_SET_CHILD_SUBREAPER), which a
 * Raspberry Pi's kernel grants but user-mode QEMU refuses; as PID 1 the app
 * collects its sandboxes' orphans without it, as it does in a container.
 */
export function qemuCommandAsPidOne(emulator: Emulator, binary: string, args: string[]): string[] {
  const ownUserNamespace = process.getuid?.() === 0 ? [] : ["--user", "--map-root-user"];
  return ["unshare", ...ownUserNamespace, "--pid", "--fork", "--mount-proc", ...qemuCommand(emulator, binary, args)];
}

/** Runs to completion (killed after `timeoutMs`); `asPidOne`: see qemuCommandAsPidOne. */
export async function runToEnd(emulator: Emulator, binary: string, args: string[], timeoutMs: number, asPidOne = false): Promise<Finished> {
  const command = asPidOne ? qemuCommandAsPidOne(emulator, binary, args) : qemuCommand(emulator, binary, args);
  const child = Bun.spawn(command, { stdout: "pipe", stderr: "pipe", stdin: "ignore" });
  const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
  const [stdout, stderr] = await Promise.all([new Response(child.stdout).text(), new Response(child.stderr).text()]);
  await child.exited;
  clearTimeout(timer);
  return { ...ending(child), stdout, stderr };
}

/** Starts a long-running process; the caller stops it with `stop`. */
export function start(emulator: Emulator, binary: string, args: string[]): { child: Subprocess<"ignore", "pipe", "pipe">; stderr: Promise<string> } {
  const child = Bun.spawn(qemuCommand(emulator, binary, args), { stdout: "pipe", stderr: "pipe", stdin: "ignore" });
  const stderr = new Response(child.stderr).text();
  void new Response(child.stdout).text();
  return { child, stderr };
}

/** exit code and signal name of a finished child. */
export function ending(child: { exitCode: number | null; signalCode: unknown }): { exitCode: number | null; signal: string | null } {
  return { exitCode: child.exitCode, signal: typeof child.signalCode === "string" ? child.signalCode : null };
}

/** How a process ended, in words: "exit 1" or "signal SIGILL (illegal instruction: this CPU cannot run the build)". */
export function describeEnd(end: { exitCode: number | null; signal: string | null }): string {
  if (end.signal === "SIGILL" || end.exitCode === 132) return "SIGILL (illegal instruction: this CPU model cannot run the build)";
  if (end.signal !== null) return `signal ${end.signal}`;
  return `exit ${end.exitCode}`;
}
