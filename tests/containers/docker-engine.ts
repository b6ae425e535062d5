/**
 * A Docker engine for the smoke test: uses the running one, else starts Debian's
 * dockerd (installing docker.io when absent), and stops what it started.
 */
import { closeSync, existsSync, openSync } from "node:fs";
import { spawn } from "node:child_process";
import { aptInstall, run, waitFor } from "./shell.ts";

const dockerdPath = "/usr/sbin/dockerd";
const dockerdLog = "/var/log/tree-containers-dockerd.log";

export interface Engine {
  /** Stops the engine if this process started it. */
  stop(): Promise<void>;
}

const engineAnswers = () => run(["docker", "info", "--format", "{{.ServerVersion}}"], { quiet: true, timeoutMs: 20_000 });

export async function ensureDockerEngine(): Promise<Engine> {
  const running = engineAnswers();
  if (running.status === 0) {
    console.log(`  Docker engine ${running.stdout.trim()} is running`);
    return { async stop() {} };
  }
  if (!existsSync(dockerdPath) || run(["sh", "-c", "command -v docker"], { quiet: true }).status !== 0) aptInstall(["docker.io"]);
  if (existsSync("/run/systemd/system")) {
    run(["systemctl", "start", "docker"]);
    await waitFor("the Docker engine (systemd)", 60_000, () => (engineAnswers().status === 0 ? true : undefined));
    console.log("  started docker.service");
    return { async stop() {} };
  }
  console.log(`  starting ${dockerdPath} (log: ${dockerdLog})`);
  const log = openSync(dockerdLog, "a");
  const daemon = spawn(dockerdPath, [], { detached: true, stdio: ["ignore", log, log] });
  closeSync(log);
  daemon.unref();
  await waitFor("dockerd to answer", 60_000, () => {
    if (daemon.exitCode !== null) throw new Error(`dockerd exited ${daemon.exitCode}; see ${dockerdLog}`);
    return engineAnswers().status === 0 ? true : undefined;
  });
  const exited = new Promise<void>((resolve) => daemon.once("exit", () => resolve()));
  return {
    async stop() {
      if (daemon.pid === undefined || daemon.exitCode !== null) return;
      console.log(`  stopping the dockerd this test started (pid ${daemon.pid})`);
      daemon.kill("SIGTERM");
      const killTimer = setTimeout(() => daemon.kill("SIGKILL"), 30_000);
      await exited;
      clearTimeout(killTimer);
    },
  };
}
