/**
 * The sandbox's cost, measured side by side in one run:
 *  1. start → first frame: our jail (runProgram: bwrap, seccomp stage 1, the
 *     harness with its rlimits, niceness and stage 2) vs the same harness
 *     started directly without a jail vs `docker run` of a python image per
 *     job (the approach code judges take), runs interleaved so load hits all
 *     alike. As root the app starts bwrap as the sandbox uid; the app
 *     container runs unprivileged, where bwrap keeps the app's uid in a user
 *     namespace of its own, so a root run also measures jailed vs bare in a
 *     child running as a fresh unprivileged uid (sandbox-startup.ts) and
 *     prints both rows;
 *  2. the highest sustained frame rate a tight setLEDs loop reaches through
 *     the runner at 300 LEDs, with the rate cap lifted and with it on.
 *  3. the upload-time check (called at every upload): confined in the same
 *     jail vs the same checker script run as a plain python3 child.
 * Goal: jail ≤ 1.3× the bare harness and ≥ 10× faster than docker-per-job.
 */
import { chownSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Value } from "@sinclair/typebox/value";
import { defaultPolicy, policyWith } from "../appliance/src/sandbox/policy.ts";
import { runProgram } from "../appliance/src/sandbox/runner.ts";
import { checkInChild } from "../appliance/src/checker/check-child.ts";
import { loadCheckScript } from "../appliance/src/checker/check-script.ts";
import { maxUploadBytes } from "../appliance/src/checker/limits.ts";
import {
  fmt,
  ledCount,
  measureStartup,
  median,
  percentile,
  randomBenchUid,
  startupRuns,
  StartupMeasurement,
} from "./sandbox-startup.ts";

const floodSeconds = 3;

const benchUid = randomBenchUid();
const jail = policyWith({ sandboxUid: benchUid, sandboxGid: benchUid });

/** Longest the unprivileged child may take for its whole startup measurement. */
const unprivilegedTimeoutMs = 120_000;

/**
 * The production path: the app container runs as an unprivileged uid, where
 * the jail is just bwrap → python3. Root measures it by running
 * sandbox-startup.ts as a fresh uid of its own (RLIMIT_NPROC counts per uid)
 * with a HOME/TMPDIR that uid owns; the repo and node_modules are world-readable.
 */
async function unprivilegedStartup(): Promise<StartupMeasurement> {
  const uid = randomBenchUid();
  const home = mkdtempSync(join(tmpdir(), "tree-bench-unprivileged-"));
  try {
    chownSync(home, uid, uid);
    const child = Bun.spawn(
      [
        "/usr/bin/setpriv", `--reuid=${uid}`, `--regid=${uid}`, "--clear-groups", "--pdeathsig=KILL", "--",
        process.execPath, join(import.meta.dir, "sandbox-startup.ts"),
      ],
      {
        cwd: join(import.meta.dir, ".."),
        env: { PATH: process.env.PATH ?? "/usr/bin:/bin", HOME: home, TMPDIR: home },
        stdout: "pipe",
        stderr: "pipe",
        timeout: unprivilegedTimeoutMs,
      },
    );
    const [out, err, code] = await Promise.all([new Response(child.stdout).text(), new Response(child.stderr).text(), child.exited]);
    if (code !== 0) throw new Error(`unprivileged startup bench (uid ${uid}) exited with ${code}: ${err.trim()}`);
    const measurement: unknown = JSON.parse(out.trim().split("\n").at(-1) ?? "");
    if (!Value.Check(StartupMeasurement, measurement)) throw new Error(`unprivileged startup bench printed no measurement: ${out.trim()}`);
    return measurement;
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
}

function printStartupRows(label: string, measurement: StartupMeasurement) {
  const { jailedMs, bareMs } = measurement;
  console.log(`  ${label}, uid ${measurement.uid}, jail = ${measurement.chain}`);
  console.log(`    jailed (runProgram):    median ${fmt(median(jailedMs))}, p95 ${fmt(percentile(jailedMs, 95))}`);
  console.log(`    bare harness, no jail:  median ${fmt(median(bareMs))}, p95 ${fmt(percentile(bareMs, 95))}`);
  console.log(`    ratio jailed / bare:    ${(median(jailedMs) / median(bareMs)).toFixed(2)}× (goal ≤ 1.3×)`);
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

const image = await dockerImage();
const docker: number[] = [];
const here = await measureStartup(jail, async (run) => {
  if (image !== undefined && run < 5) docker.push(await dockerFirstFrameMs(image));
});
const asRoot = here.uid === 0;
const unprivileged = asRoot ? await unprivilegedStartup() : undefined;

console.log(`start → first frame, ${ledCount} LEDs, ${startupRuns} runs each, jailed and bare interleaved`);
printStartupRows(asRoot ? "as root (this process)" : "unprivileged (this process; the app container's chain)", here);
if (unprivileged !== undefined) printStartupRows("unprivileged child (setpriv to a fresh uid; the app container's chain)", unprivileged);
if (image === undefined) {
  console.log("  docker run per job:     skipped: no Docker engine (or no python image) available");
} else {
  console.log(`  docker run (${image}): median ${fmt(median(docker))}, p95 ${fmt(percentile(docker, 95))} (${docker.length} runs)`);
  console.log(`  ratio docker / jailed:  ${(median(docker) / median(here.jailedMs)).toFixed(1)}× (goal ≥ 10×)`);
}

/**
 * The upload check of a typical small program, interleaved: confined as the app does it (bwrap,
 * seccomp, the checker precompiled once and sent as code), and as a plain unconfined child that
 * compiles the checker's text each time (the first round's check, before it was jailed).
 */
async function checkLatency(runs: number): Promise<{ confinedMs: number[]; plainMs: number[] }> {
  const script = await loadCheckScript();
  const program = new TextEncoder().encode("import math\nfor step in range(100):\n    setLEDs([(step, 0, 255 - step)] * getLEDCount())\n");
  const plain = ["/usr/bin/python3", "-I", "-S", "-B", "-c", script];
  const timed = async (command?: string[]) => {
    const started = performance.now();
    const verdict = await checkInChild(program, { maxInputBytes: maxUploadBytes, command });
    if (!verdict.ok) throw new Error(`the check refused the bench program: ${verdict.error}`);
    return performance.now() - started;
  };
  await timed();
  await timed(plain);
  const confinedMs: number[] = [];
  const plainMs: number[] = [];
  for (let run = 0; run < runs; run++) {
    confinedMs.push(await timed());
    plainMs.push(await timed(plain));
  }
  return { confinedMs, plainMs };
}

const checkRuns = 15;
const check = await checkLatency(checkRuns);
console.log(`upload check of a small program, ${checkRuns} runs each, interleaved`);
console.log(`  confined, precompiled:      median ${fmt(median(check.confinedMs))}, p95 ${fmt(percentile(check.confinedMs, 95))}`);
console.log(`  plain child, script text:   median ${fmt(median(check.plainMs))}, p95 ${fmt(percentile(check.plainMs, 95))}`);
console.log(`  confined / plain:           ${(median(check.confinedMs) / median(check.plainMs)).toFixed(2)}×`);

const open = await sustainedFps(false);
const capped = await sustainedFps(true);
console.log(`tight setLEDs loop through the runner, ${ledCount} LEDs, ${floodSeconds} s each`);
console.log(`  rate cap lifted: ${open.fps.toFixed(0)} frames/s accepted`);
console.log(`  rate cap on (${defaultPolicy.limits.maxFramesPerSecond}/s): ${capped.fps.toFixed(1)} frames/s accepted, ${capped.dropped} dropped (setLEDs paces itself)`);
