/**
 * A Docker engine of the emulator test's own, only to build and save the arm64 images:
 * its own socket, data root, exec root and containerd namespaces, no bridge and no
 * iptables rules (builds use the host's network), so it never touches the machine's
 * main engine, its images (the amd64 `debian:bookworm-slim` the container test builds
 * from) or its networks. Stopped when the images are saved.
 */
import { closeSync, mkdirSync, openSync } from "node:fs";
import { spawn } from "node:child_process";
import { join } from "node:path";
import { must, run, waitFor, type Ran, type RunOptions } from "../containers/shell.ts";
import { cacheRoot } from "./cache.ts";

const dockerd = "/usr/sbin/dockerd";
/** Debian's client (docker.io), whatever else is first on PATH. */
export const dockerClient = "/usr/bin/docker";
const runDir = "/run/tree-appliance-emu";
const socket = `unix://${runDir}/docker.sock`;

export interface PrivateDocker {
  run(args: readonly string[], options?: RunOptions): Ran;
  must(args: readonly string[], options?: RunOptions): Ran;
  stop(): Promise<void>;
}

export async function startPrivateDocker(log: (line: string) => void): Promise<PrivateDocker> {
  mkdirSync(runDir, { recursive: true });
  const dataRoot = join(cacheRoot, "dockerd");
  mkdirSync(dataRoot, { recursive: true });
  const logPath = join(cacheRoot, "dockerd.log");
  const logFd = openSync(logPath, "a");
  const daemon = spawn(dockerd, [
    "--host", socket, "--data-root", dataRoot, "--exec-root", join(runDir, "exec"), "--pidfile", join(runDir, "dockerd.pid"),
    "--bridge", "none", "--iptables=false", "--ip-masq=false",
    "--containerd-namespace", "tree-appliance-emu", "--containerd-plugins-namespace", "tree-appliance-emu-plugins",
  ], { detached: true, stdio: ["ignore", logFd, logFd] });
  closeSync(logFd);
  daemon.unref();
  const env = { DOCKER_HOST: socket, DOCKER_BUILDKIT: "0" };
  const client = {
    run: (args: readonly string[], options: RunOptions = {}) => run([dockerClient, ...args], { ...options, env: { ...env, ...options.env } }),
    must: (args: readonly string[], options: RunOptions = {}) => must([dockerClient, ...args], { ...options, env: { ...env, ...options.env } }),
  };
  await waitFor("the emulator test's own dockerd", 90_000, () => {
    if (daemon.exitCode !== null) throw new Error(`dockerd exited ${daemon.exitCode}; see ${logPath}`);
    return client.run(["info", "--format", "{{.ServerVersion}}"], { quiet: true }).status === 0 ? true : undefined;
  });
  log(`docker: own engine on ${socket} (log ${logPath})`);
  const exited = new Promise<void>((resolve) => daemon.once("exit", () => resolve()));
  return {
    ...client,
    async stop() {
      if (daemon.exitCode !== null) return;
      daemon.kill("SIGTERM");
      const timer = setTimeout(() => daemon.kill("SIGKILL"), 30_000);
      await exited;
      clearTimeout(timer);
    },
  };
}
