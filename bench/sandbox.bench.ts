/**
 * The sandbox's cost, measured side by side in one run:
 *  1. start → first frame: our jail (runProgram: nice, prlimit, setpriv, bwrap,
 *     seccomp stage 1, the harness with stage 2) vs the same harness started
 *     directly without a jail vs `docker run` of a python image per job (the
 *     approach code judges take), runs interleaved so load hits all alike;
 *  2. the highest sustained frame rate a tight setLEDs loop reaches through
 *     the runner at 300 LEDs, with the rate cap lifted and with it on.
 * Goal: jail ≤ 1.3× the bare harness and ≥ 10× faster than docker-per-job.
 */
import { closeSync } from "node:fs";
import { harnessConfig } from "../appliance/src/sandbox/harness-config.ts";
import { loadHarnessSource } from "../appliance/src/sandbox/harness-source.ts";
import { pythonArgs } from "../appliance/src/sandbox/command.ts";
import { defaultPolicy, frameFd, policyWith } from "../appliance/src/sandbox/policy.ts";
import { runProgram } from "../appliance/src/sandbox/runner.ts";
import { stage1FilterFile, withNumbers } from "../appliance/src/sandbox/seccomp-filter.ts";
import { ledPositions } from "../appliance/src/layout/positions.ts";

const startupRuns = 25;
const ledCount = 300;
const firstFrameProgram = "setLEDs([BLUE] * getLEDCount())\n";
const floodSeconds = 3;

/**
 * A uid of the benchmark's own: RLIMIT_NPROC counts per uid, and other suites
 * may be running sandboxes as the default uid on this machine right now.
 */
const benchUid = 4_000_000 + Math.floor(Math.random() * 1_000_000);
const jail = policyWith({ sandboxUid: benchUid, sandboxGid: benchUid });

const median = (values: number[]) => percentile(values, 50);
function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}
const fmt = (ms: number) => `${ms.toFixed(1)} ms`;

async function jailedFirstFrameMs(): Promise<number> {
  const started = performance.now();
  let firstMs = NaN;
  const result = await runProgram({
    source: firstFrameProgram,
    ledCount,
    timeLimitMs: 10_000,
    skipCheck: true,
    policy: jail,
    onFrame: () => {
      if (Number.isNaN(firstMs)) firstMs = performance.now() - started;
    },
  });
  if (result.status !== "completed" || Number.isNaN(firstMs)) throw new Error(`jailed run failed: ${JSON.stringify(result)}`);
  return firstMs;
}

/** The same harness and config, started with no jail at all (never do this with visitors' code). */
async function bareFirstFrameMs(harness: string): Promise<number> {
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

/** Longest a docker step may take before it is killed (the engine may be busy or missing). */
const dockerStepTimeoutMs = 20_000;

function dockerRun(image: string, code: string) {
  // --entrypoint: an image's own entrypoint (e.g. a server) must not run instead of python.
  const child = Bun.spawn(["docker", "run", "--rm", "--network", "none", "--entrypoint", "python3", image, "-c", code], {
    stdout: "pipe",
    stderr: "pipe",
  });
  const timer = setTimeout(() => child.kill("SIGKILL"), dockerStepTimeoutMs);
  void child.exited.then(() => clearTimeout(timer));
  return child;
}

/** A local image that has python3 (an official python image, or our own app image); never pulled. */
async function dockerImage(): Promise<string | undefined> {
  try {
    const info = Bun.spawnSync(["docker", "info", "--format", "{{.ServerVersion}}"], { stdout: "pipe", stderr: "pipe", timeout: dockerStepTimeoutMs });
    if (info.exitCode !== 0) return undefined;
    const images = Bun.spawnSync(["docker", "image", "ls", "--format", "{{.Repository}}:{{.Tag}}"], { stdout: "pipe", timeout: dockerStepTimeoutMs });
    const candidates = images.stdout.toString().split("\n").filter((name) => /^(python|tree-app):/.test(name));
    for (const image of candidates) {
      const probe = dockerRun(image, "print('ok')");
      if ((await probe.exited) === 0 && (await new Response(probe.stdout).text()).trim() === "ok") return image;
    }
  } catch {
    // No docker CLI.
  }
  return undefined;
}

async function dockerFirstFrameMs(image: string): Promise<number> {
  const started = performance.now();
  const line = JSON.stringify(Array(ledCount).fill([0, 0, 255, 100]));
  const child = dockerRun(image, `print('${line}', flush=True)`);
  const reader = child.stdout.getReader();
  const first = await reader.read();
  const elapsed = performance.now() - started;
  if (first.done) throw new Error(`docker run printed nothing: ${await new Response(child.stderr).text()}`);
  while (!(await reader.read()).done) {
    // drain
  }
  await child.exited;
  return elapsed;
}

async function sustainedFps(capped: boolean): Promise<{ fps: number; dropped: number }> {
  const policy = capped ? jail : policyWith({ sandboxUid: benchUid, sandboxGid: benchUid, limits: { maxFramesPerSecond: Infinity, maxFrameChannelBytesPerSecond: Infinity } });
  const result = await runProgram({
    source: "states = [RED] * getLEDCount()\nwhile True:\n    setLEDs(states)\n",
    ledCount,
    timeLimitMs: floodSeconds * 1000,
    skipCheck: true,
    policy,
  });
  if (result.status !== "timeout") throw new Error(`flood run ended early: ${JSON.stringify(result)}`);
  return { fps: result.frames / (result.durationMs / 1000), dropped: result.dropped };
}

const harness = await loadHarnessSource();
// Warm up: stage-1 compile, page cache.
await jailedFirstFrameMs();
await bareFirstFrameMs(harness);

const image = await dockerImage();
const jailed: number[] = [];
const bare: number[] = [];
const docker: number[] = [];
for (let run = 0; run < startupRuns; run++) {
  jailed.push(await jailedFirstFrameMs());
  bare.push(await bareFirstFrameMs(harness));
  if (image !== undefined && run < 5) docker.push(await dockerFirstFrameMs(image));
}

console.log(`start → first frame, ${ledCount} LEDs, ${startupRuns} runs each, interleaved`);
console.log(`  jailed (runProgram):    median ${fmt(median(jailed))}, p95 ${fmt(percentile(jailed, 95))}`);
console.log(`  bare harness, no jail:  median ${fmt(median(bare))}, p95 ${fmt(percentile(bare, 95))}`);
console.log(`  ratio jailed / bare:    ${(median(jailed) / median(bare)).toFixed(2)}× (goal ≤ 1.3×)`);
if (image === undefined) {
  console.log("  docker run per job:     skipped: no Docker engine (or no python image) available");
} else {
  console.log(`  docker run (${image}): median ${fmt(median(docker))}, p95 ${fmt(percentile(docker, 95))} (${docker.length} runs)`);
  console.log(`  ratio docker / jailed:  ${(median(docker) / median(jailed)).toFixed(1)}× (goal ≥ 10×)`);
}

const open = await sustainedFps(false);
const capped = await sustainedFps(true);
console.log(`tight setLEDs loop through the runner, ${ledCount} LEDs, ${floodSeconds} s each`);
console.log(`  rate cap lifted: ${open.fps.toFixed(0)} frames/s accepted`);
console.log(`  rate cap on (${defaultPolicy.limits.maxFramesPerSecond}/s): ${capped.fps.toFixed(1)} frames/s accepted, ${capped.dropped} dropped (setLEDs paces itself)`);
