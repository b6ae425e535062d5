/**
 * Canaries planted on the host for one probe run: things the sandboxed program
 * must never reach. Each run gets its own set, so runs can go in parallel and a
 * breach is pinned on the probe that caused it.
 *
 *  - a secret file outside the sandbox (world-readable, so only the jail's
 *    filesystem view protects it), whose random text must never come back;
 *  - a TCP and a UDP port on 127.0.0.1 and a Unix socket (world-writable),
 *    which must see no connection and no datagram;
 *  - a world-writable directory, which must stay exactly as it was;
 *  - a long-running process of the sandbox's uid (a shell waiting on sleep),
 *    carrying the secret in its command line and environment, which must stay
 *    alive and unread.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { createSocket, type Socket as UdpSocket } from "node:dgram";
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

export interface CanaryPlaces {
  secret: string;
  root: string;
  secretPath: string;
  canaryDir: string;
  unixSocketPath: string;
  tcpPort: number;
  udpPort: number;
  pid: number;
}

export interface CanaryReport {
  tcpConnections: number;
  udpDatagrams: number;
  unixConnections: number;
  /** Entries of the writable directory that differ from what was planted ("" when unchanged). */
  dirChanges: string;
  processAlive: boolean;
}

export interface Canaries extends CanaryPlaces {
  report(): CanaryReport;
  close(): Promise<void>;
}

/** The text every file of the planted directory is compared against. */
const keepText = "planted by the red-team suite; must not change\n";

function snapshot(dir: string): string {
  return readdirSync(dir)
    .sort()
    .map((name) => {
      const path = join(dir, name);
      const info = statSync(path);
      return `${name} ${info.mode.toString(8)} ${info.size} ${info.isFile() ? readFileSync(path, "latin1") : "(not a file)"}`;
    })
    .join("\n");
}

function listen(server: Server, ...args: unknown[]): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    (server.listen as (...a: unknown[]) => void)(...args, () => resolve());
  });
}

function startCanaryProcess(secret: string, uid: number | undefined): ChildProcess {
  const asSandboxUid = uid === undefined ? [] : ["/usr/bin/setpriv", `--reuid=${uid}`, `--regid=${uid}`, "--clear-groups"];
  const [command, ...args] = [...asSandboxUid, "/bin/sh", "-c", `sleep 600; : ${secret}`];
  return spawn(command!, args, { stdio: "ignore", detached: true, env: { CANARY_SECRET: secret, PATH: "/usr/bin:/bin" } });
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** `uid`: the sandbox's uid, when we can switch to it (as root); else the process keeps ours, as the sandbox does. */
/** Waits until the shell has replaced setpriv (its command line carries the secret), so the uid is switched. */
async function untilRunning(pid: number, secret: string): Promise<void> {
  for (let attempt = 0; attempt < 200; attempt++) {
    try {
      if (readFileSync(`/proc/${pid}/cmdline`, "latin1").includes(secret)) return;
    } catch {
      // not there yet
    }
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`the canary process ${pid} did not start`);
}

export async function plantCanaries(uid: number | undefined): Promise<Canaries> {
  const secret = `canary-${randomBytes(16).toString("hex")}`;
  const root = mkdtempSync(join(tmpdir(), `redteam-${randomBytes(4).toString("hex")}-`));
  chmodSync(root, 0o755);
  const secretPath = join(root, "secret.txt");
  writeFileSync(secretPath, `${secret}\n`, { mode: 0o644 });
  chmodSync(secretPath, 0o644);
  const writable = join(root, "writable");
  mkdirSync(writable, { mode: 0o777 });
  chmodSync(writable, 0o777);
  writeFileSync(join(writable, "keep.txt"), keepText, { mode: 0o666 });
  chmodSync(join(writable, "keep.txt"), 0o666);
  const planted = snapshot(writable);

  let tcpConnections = 0;
  const tcp = createServer((socket) => {
    tcpConnections += 1;
    socket.destroy();
  });
  await listen(tcp, 0, "127.0.0.1");
  const tcpPort = (tcp.address() as { port: number }).port;

  let unixConnections = 0;
  const unixSocketPath = join(root, "gpio.sock");
  const unix = createServer((socket) => {
    unixConnections += 1;
    socket.destroy();
  });
  await listen(unix, unixSocketPath);
  chmodSync(unixSocketPath, 0o777);

  let udpDatagrams = 0;
  const udp: UdpSocket = createSocket("udp4");
  udp.on("message", () => {
    udpDatagrams += 1;
  });
  await new Promise<void>((resolve) => udp.bind(0, "127.0.0.1", resolve));
  const udpPort = udp.address().port;

  const canaryProcess = startCanaryProcess(secret, uid);
  const pid = canaryProcess.pid!;
  await untilRunning(pid, secret);

  return {
    secret,
    root,
    secretPath,
    canaryDir: writable,
    unixSocketPath,
    tcpPort,
    udpPort,
    pid,
    report: () => {
      const now = snapshot(writable);
      return { tcpConnections, udpDatagrams, unixConnections, dirChanges: now === planted ? "" : now, processAlive: alive(pid) };
    },
    close: async () => {
      try {
        process.kill(-pid, "SIGKILL");
      } catch {
        // Already gone (a failed probe run reports that separately).
      }
      await Promise.all([
        new Promise<void>((resolve) => tcp.close(() => resolve())),
        new Promise<void>((resolve) => unix.close(() => resolve())),
        new Promise<void>((resolve) => udp.close(() => resolve())),
      ]);
      rmSync(root, { recursive: true, force: true });
    },
  };
}
