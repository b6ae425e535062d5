/**
 * A throwaway "Pi" for tree-host: boot partition, /etc/tree, state, NetworkManager and
 * images directories in a temp dir, and stand-ins for nmcli, docker, systemctl and journalctl on PATH
 * (fake-host-tool.py, answering from a world file the test edits). tree-host itself is the
 * real script, run with Debian's python3 as on the Pi.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import type { HostStatus } from "../../../appliance/src/host-status/schema.ts";

export const repoRoot = resolve(import.meta.dirname, "../../..");
const treeHost = join(repoRoot, "systemd", "tree-host.py");
const fakeTool = join(import.meta.dirname, "fake-host-tool.py");
const python = "/usr/bin/python3";

export interface World {
  devices?: Record<string, { state: number; reason?: number; connection?: string | null; addresses?: string[] }>;
  scan?: [string, string][];
  up?: Record<string, { device: string; state: { state: number; reason?: number; connection: string | null; addresses: string[] } }>;
  upFails?: Record<string, string>;
  dockerOk?: boolean;
  dockerStarts?: boolean;
  containers?: Record<string, { status: string; health?: string; started?: string }>;
  images?: string[];
  loadFails?: boolean;
  daemon?: { info?: unknown; snapshot?: unknown } | null;
  gpioLogs?: string;
  /** What `systemctl show tree.service` says (default: active, no restarts). */
  treeService?: { ActiveState: string; NRestarts: number };
  treeServiceJournal?: string;
  /** What NetworkManager and wpa_supplicant logged this boot. */
  networkJournal?: string;
}

/** A healthy stack: both containers healthy, images loaded, the daemon answering on spi. */
export const healthyStack: World = {
  dockerOk: true,
  containers: { "tree-app": { status: "running", health: "healthy" }, "tree-gpio": { status: "running", health: "healthy" } },
  images: ["tree-app:latest", "tree-gpio:latest"],
  daemon: { info: { ok: true, driver: "spi" }, snapshot: { ok: true, driverError: null } },
  gpioLogs: "tree-gpio: listening on /run/tree/gpio.sock: 100 leds, GRB, driver spi\n",
};

export const nm = { unavailable: 20, disconnected: 30, config: 50, needAuth: 60, activated: 100 } as const;

export class HostSandbox {
  readonly dir = mkdtempSync(join(tmpdir(), "tree-host-test-"));
  readonly boot = join(this.dir, "boot");
  readonly etc = join(this.dir, "etc");
  readonly state = join(this.dir, "state");
  readonly run = join(this.dir, "run");
  readonly nmDir = join(this.dir, "NetworkManager");
  readonly images = join(this.dir, "images");
  readonly data = join(this.dir, "data");
  readonly bin = join(this.dir, "bin");
  readonly worldPath = join(this.dir, "world.json");
  private watchers: ChildProcess[] = [];

  constructor() {
    for (const dir of [this.boot, this.etc, this.state, this.run, this.nmDir, this.images, this.bin]) mkdirSync(dir, { recursive: true });
    for (const tool of ["nmcli", "docker", "systemctl", "journalctl"]) {
      writeFileSync(join(this.bin, tool), `#!/bin/sh\nexec ${python} ${fakeTool} "$0" "$@"\n`);
      chmodSync(join(this.bin, tool), 0o755);
    }
    this.setWorld({});
  }

  /** Replaces the world atomically (tree-host may be asking the fakes at this moment). */
  setWorld(world: World): void {
    writeFileSync(`${this.worldPath}.new`, JSON.stringify(world));
    renameSync(`${this.worldPath}.new`, this.worldPath);
  }

  world(): World {
    return JSON.parse(readFileSync(this.worldPath, "utf8")) as World;
  }

  updateWorld(change: (world: World) => void): void {
    const world = this.world();
    change(world);
    this.setWorld(world);
  }

  /** Every call the fakes received, as argv arrays (tool first). */
  calls(): string[][] {
    const path = `${this.worldPath}.calls`;
    return existsSync(path) ? readFileSync(path, "utf8").split("\n").filter(Boolean).map((line) => JSON.parse(line) as string[]) : [];
  }

  writeToml(text: string): void {
    writeFileSync(join(this.boot, "tree.toml"), text);
  }

  writeMeminfo(totalKiB: number): string {
    const path = join(this.dir, "meminfo");
    writeFileSync(path, `MemTotal:       ${totalKiB} kB\nMemFree:        1000 kB\n`);
    return path;
  }

  private args(command: string[]): string[] {
    return [treeHost, "--boot-dir", this.boot, "--etc-dir", this.etc, "--state-dir", this.state, "--run-dir", this.run,
      "--nm-dir", this.nmDir, "--images-dir", this.images, "--data-dir", this.data, ...command];
  }

  private env(): NodeJS.ProcessEnv {
    return { ...process.env, PATH: `${this.bin}:/usr/bin:/bin`, TREE_FAKE_WORLD: this.worldPath, PYTHONDONTWRITEBYTECODE: "1" };
  }

  /** Runs one tree-host command to its end. */
  host(...command: string[]): { status: number | null; stdout: string; stderr: string } {
    const done = spawnSync(python, this.args(command), { env: this.env(), encoding: "utf8", timeout: 120_000 });
    return { status: done.status, stdout: done.stdout, stderr: done.stderr };
  }

  /** Starts `tree-host watch` (stopped by cleanup). */
  watch(...flags: string[]): ChildProcess {
    const child = spawn(python, this.args(["watch", "--poll-seconds", "0.2", "--docker-seconds", "0.2", ...flags]), { env: this.env(), stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout?.on("data", (chunk) => (output += chunk));
    child.stderr?.on("data", (chunk) => (output += chunk));
    Object.defineProperty(child, "output", { get: () => output });
    this.watchers.push(child);
    return child;
  }

  read(path: string): string {
    return readFileSync(join(this.dir, path), "utf8");
  }

  /** status.json, or null while tree-host has not written it. */
  status(): HostStatus | null {
    const path = join(this.state, "status.json");
    return existsSync(path) ? (JSON.parse(readFileSync(path, "utf8")) as HostStatus) : null;
  }

  statusText(): string {
    const path = join(this.boot, "tree-status.txt");
    return existsSync(path) ? readFileSync(path, "utf8") : "";
  }

  connection(name: string): string {
    return readFileSync(join(this.nmDir, "system-connections", `${name}.nmconnection`), "utf8");
  }

  hasConnection(name: string): boolean {
    return existsSync(join(this.nmDir, "system-connections", `${name}.nmconnection`));
  }

  cleanup(): void {
    for (const child of this.watchers) child.kill("SIGKILL");
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** A Debian-style NetworkManager device description for world.devices. */
export const device = (state: number, connection: string | null = null, addresses: string[] = [], reason = 0) => ({ state, reason, connection, addresses });
