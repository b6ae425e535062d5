/**
 * Start → first frame, jailed (runProgram) vs the same harness with no jail,
 * runs interleaved so load hits both alike. sandbox.bench.ts uses it in its
 * own process (as root: bwrap → python3, started as the sandbox uid) and, when
 * it runs as root, also starts this file as an unprivileged uid, which is how
 * the app container runs (bwrap → python3). Run directly, it prints one
 * StartupMeasurement as JSON on stdout.
 */
import { closeSync } from "node:fs";
import { basename } from "node:path";
import { Type, type Static } from "@sinclair/typebox";
import { harnessConfig } from "../appliance/src/sandbox/harness-config.ts";
import { loadHarnessSource } from "../appliance/src/sandbox/harness-source.ts";
import { currentHost, jailCommand, pythonArgs } from "../appliance/src/sandbox/command.ts";
import { defaultPolicy, frameFd, policyWith, type SandboxPolicy } from "../appliance/src/sandbox/policy.ts";
import { runProgram } from "../appliance/src/sandbox/runner.ts";
import { stage1FilterFile, withNumbers } from "../appliance/src/sandbox/seccomp-filter.ts";
import { ledPositions } from "../appliance/src/layout/positions.ts";

export const startupRuns = 25;
export const ledCount = 300;
const firstFrameProgram = "setLEDs([BLUE] * getLEDCount())\n";

/** A uid of the benchmark's own: RLIMIT_NPROC counts per uid, and other suites may be running sandboxes right now. */
export function randomBenchUid(): number {
  return 4_000_000 + Math.floor(Math.random() * 1_000_000);
}

export const StartupMeasurement = Type.Object({
  /** The helpers the jail starts through for this process's uid, e.g. "bwrap → python3". */
  chain: Type.String(),
  uid: Type.Integer(),
  jailedMs: Type.Array(Type.Number()),
  bareMs: Type.Array(Type.Number()),
});
export type StartupMeasurement = Static<typeof StartupMeasurement>;

export const median = (values: number[]) => percentile(values, 50);
export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}
export const fmt = (ms: number) => `${ms.toFixed(1)} ms`;

/** The jail's helper chain as this process would start it (derived from jailCommand, not restated). */
export function jailChain(policy: SandboxPolicy): string {
  const argv = jailCommand(policy, "", currentHost());
  const helpers = [policy.bwrapPath, policy.pythonPath];
  return argv.filter((arg) => helpers.includes(arg)).map((path) => basename(path)).join(" → ");
}

export async function jailedFirstFrameMs(policy: SandboxPolicy): Promise<number> {
  const started = performance.now();
  let firstMs = NaN;
  const result = await runProgram({
    source: firstFrameProgram,
    ledCount,
    timeLimitMs: 10_000,
    skipCheck: true,
    policy,
    onFrame: () => {
      if (Number.isNaN(firstMs)) firstMs = performance.now() - started;
    },
  });
  if (result.status !== "completed" || Number.isNaN(firstMs)) throw new Error(`jailed run failed: ${JSON.stringify(result)}`);
  return firstMs;
}

/** The same harness and config, started with no jail at all (never do this with visitors' code). */
export async function bareFirstFrameMs(harness: string): Promise<number> {
  const { limits } = defaultPolicy;
  const { symbols } = await stage1FilterFile(defaultPolicy.pythonPath, defaultPolicy.stage1, limits.filterCompileTimeoutMs);
  const config = harnessConfig({
    source: firstFrameProgram,
    ledCount,
    positions: ledPositions(ledCount),
    policy: defaultPolicy,
    stage2: withNumbers(defaultPolicy.stage2, symbols),
  });

  const started = performance.now();
  const child = Bun.spawn(pythonArgs(defaultPolicy, harness), { stdio: ["pipe", "pipe", "pipe", "pipe"], env: {} });
  child.stdin.write(config);
  await child.stdin.end();
  const channel = child.stdio[frameFd] as unknown as number;
  const reader = Bun.file(channel).stream().getReader();
  const first = await reader.read();
  const elapsed = performance.now() - started;
  if (first.done) throw new Error(`bare harness sent no frame: ${await new Response(child.stderr).text()}`);
  while (!(await reader.read()).done) {
    // drain
  }
  await child.exited;
  closeSync(channel);
  return elapsed;
}

/**
 * One warm-up pair (stage-1 compile, page cache), then `runs` interleaved
 * pairs; `alongside` runs after each pair (the main bench times docker there).
 */
export async function measureStartup(policy: SandboxPolicy, alongside?: (run: number) => Promise<void>): Promise<StartupMeasurement> {
  const harness = await loadHarnessSource();
  await jailedFirstFrameMs(policy);
  await bareFirstFrameMs(harness);
  const jailedMs: number[] = [];
  const bareMs: number[] = [];
  for (let run = 0; run < startupRuns; run++) {
    jailedMs.push(await jailedFirstFrameMs(policy));
    bareMs.push(await bareFirstFrameMs(harness));
    await alongside?.(run);
  }
  return { chain: jailChain(policy), uid: process.getuid?.() ?? -1, jailedMs, bareMs };
}

if (import.meta.main) {
  const uid = randomBenchUid();
  const measurement = await measureStartup(policyWith({ sandboxUid: uid, sandboxGid: uid }));
  process.stdout.write(`${JSON.stringify(measurement)}\n`);
}
