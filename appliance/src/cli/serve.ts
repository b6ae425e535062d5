/**
 * `tree-app serve`: flags, env and config file → one checked Config (errors as
 * `path: message`, exit 2), then the appliance, listening. Prints
 * `tree-app: listening on http://HOST:PORT` once ready (tests and scripts read
 * the port from that line when started with --port 0). SIGTERM/SIGINT stop it
 * cleanly: the running program goes back to the head of the queue.
 * Exit codes: 0 clean stop, 1 could not start (data dir, port), 2 bad configuration.
 */
import { createAppliance } from "../appliance.ts";
import { checkProgram, maxUploadBytes } from "../checker/check.ts";
import { keepCheckersServing } from "../checker/check-child.ts";
import { configHelp, loadConfig } from "../config.ts";
import type { Asset, SandboxStatus } from "../context.ts";
import { ledPositions } from "../layout/positions.ts";
import { loadIdleShowSource } from "../scheduler/idle-show.ts";
import { currentHost, nestedUserNamespaceGuard } from "../sandbox/command.ts";
import { claimInstanceCgroup, releaseInstanceCgroup } from "../sandbox/instance-cgroup.ts";
import { runProgram, sandboxReadiness } from "../sandbox/runner.ts";

export const listeningPrefix = "tree-app: listening on ";

const usage = `usage: tree-app serve [options]
Every option is also an environment variable and a key of the JSON config file
(precedence: flag > env > file > default).
${configHelp()}`;

async function loadAssets(log: (message: string) => void): Promise<Map<string, Asset>> {
  try {
    const frontend = await import("../../../frontend/assets.ts");
    return await frontend.loadAssets();
  } catch (error) {
    log(`pages unavailable (frontend/assets.ts: ${(error as Error).message}); the API still works`);
    return new Map();
  }
}

async function readiness(): Promise<SandboxStatus> {
  try {
    const verdict = await sandboxReadiness();
    return verdict.ok ? { ready: true } : { ready: false, reason: verdict.reason };
  } catch (error) {
    return { ready: false, reason: `the sandbox check failed: ${(error as Error).message}` };
  }
}

export async function main(args: string[]): Promise<number> {
  if (args.includes("--help") || args.includes("-h")) {
    console.log(usage);
    return 0;
  }
  const loaded = loadConfig({ args, env: process.env });
  if (!loaded.ok) {
    for (const error of loaded.errors) console.error(error);
    console.error("(tree-app serve --help lists every setting)");
    return 2;
  }
  const config = loaded.config;
  const log = (message: string) => console.log(`tree-app: ${message}`);

  // Before anything is started (the readiness probe runs a program): see instance-cgroup.ts.
  const instance = await claimInstanceCgroup(config.dataDir);
  if (!instance.ok) log(`runs are not grouped in a cgroup (${instance.reason}); whatever ties them to this process still holds`);
  else if (instance.cleared > 0) log(`killed ${instance.cleared} processes an earlier instance on ${config.dataDir} left running`);

  const sandbox = await readiness();
  if (!sandbox.ready) log(`UPLOADS REFUSED: the sandbox is not usable here: ${sandbox.reason}. Pages still work; no program will run unsandboxed.`);
  else {
    log(`sandbox ready; nested user namespaces refused by ${nestedUserNamespaceGuard(currentHost())}`);
    // A visitor's check (upload, check-as-you-type) then skips the jail's and the interpreter's start.
    keepCheckersServing(true, maxUploadBytes);
  }
  if (config.operatorPassword === undefined) log("operator view disabled (set operatorPassword / TREE_APP_OPERATOR_PASSWORD to enable it)");

  const assets = await loadAssets(log);
  const idleShowSource = config.idleShow ? await loadIdleShowSource() : undefined;
  let appliance: Awaited<ReturnType<typeof createAppliance>>;
  try {
    appliance = await createAppliance({ config, runProgram, checkProgram, maxUploadBytes, sandbox, ledPositions, assets, idleShowSource, prepareStarts: true, log });
  } catch (error) {
    console.error(`tree-app: cannot use the data dir ${config.dataDir}: ${(error as Error).message}`);
    return 1;
  }
  const { recovery } = appliance;
  log(`data in ${config.dataDir}: ${recovery.loaded} submissions, ${recovery.requeued} re-queued, ${recovery.interrupted} marked interrupted` +
    (recovery.corrupt.length > 0 ? `, ${recovery.corrupt.length} unreadable records moved aside as *.corrupt` : ""));

  try {
    // Bun's own cap is a backstop far above ours; ours (modules/submissions) answers with a sentence.
    appliance.app.listen({ port: config.port, hostname: config.host, maxRequestBodySize: 8 * 1024 * 1024, idleTimeout: 30 });
  } catch (error) {
    console.error(`tree-app: cannot listen on ${config.host}:${config.port}: ${(error as Error).message}`);
    await appliance.stop();
    return 1;
  }
  await appliance.start();
  if (!appliance.daemon.online) {
    log(`the tree is OFFLINE: no LED daemon answers on ${config.gpioSocket}; programs still run, using ${config.fallbackLedCount} LEDs until it comes up`);
  }
  const server = appliance.app.server!;
  console.log(`${listeningPrefix}http://${server.hostname}:${server.port}`);

  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once("SIGTERM", stop);
    process.once("SIGINT", stop);
  });
  log("stopping");
  keepCheckersServing(false, maxUploadBytes);
  await appliance.stop();
  await appliance.app.stop(true);
  releaseInstanceCgroup(instance);
  return 0;
}
