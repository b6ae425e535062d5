/**
 * `npm run test:load`: the real stack (tree-gpio on the simulated strip and
 * tree-app serve, as real processes on loopback) under a crowd for 60 s:
 * 100 uploaders (upload, poll, cancel), 200 live-view WebSockets, 200 queue
 * event streams and 50 previews, all from this one Bun process (the client side
 * must stay cheap: CI has two busy cores and the thresholds are latencies).
 *
 * Passes with 0 errors (documented 429/503 refusals with a sentence are
 * counted, not failed), p99 of GET /api/queue < 200 ms and of POST /upload
 * < 500 ms, and every 201-answered submission present afterwards, in the data
 * dir and through the API. The last line is always
 *   load: N requests, E errors, p99 queue X ms, p99 upload Y ms, L lost
 * Soak: `npm run test:load -- --minutes M` runs M minutes and also reports
 * RSS and open descriptors of the app and the daemon per minute, failing on
 * steady growth (process-sampler.ts). `--seconds S` shortens a local run.
 */
import { readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startStack, type Stack } from "../integration/app/stack.ts";
import { timed } from "./http.ts";
import { runListeners, type StreamStats } from "./listeners.ts";
import { runLiveViewers, type LiveStats } from "./live-viewers.ts";
import { previewsAvailable, runPreviews } from "./previews.ts";
import { fdRule, MinuteSampler, rssRule, steadyGrowth } from "./process-sampler.ts";
import { Recorder } from "./recorder.ts";
import { runUploaders } from "./uploaders.ts";

const crowd = { uploaders: 100, liveViewers: 200, queueListeners: 200, previews: 50 };
const thresholds = { queueP99Ms: 200, uploadP99Ms: 500 };
/** Bun's fetch holds at most 256 requests at once by default; 200 open streams would starve the uploaders. */
const maxClientRequests = "2048";

function parseArgs(args: string[]): { seconds: number; soak: boolean } {
  let seconds = 60;
  let soak = false;
  for (let i = 0; i < args.length; i++) {
    const value = Number(args[i + 1]);
    if (args[i] === "--minutes" && Number.isFinite(value) && value > 0) {
      seconds = value * 60;
      soak = true;
      i++;
    } else if (args[i] === "--seconds" && Number.isFinite(value) && value > 0) {
      seconds = value;
      i++;
    } else {
      console.error(`usage: npm run test:load [-- --minutes M | --seconds S]\n${args[i]}: unexpected argument`);
      process.exit(2);
    }
  }
  return { seconds, soak };
}

/** The daemon is the stack's other child of this process. */
function daemonPid(appPid: number): number {
  for (const task of readdirSync(`/proc/${process.pid}/task`)) {
    let children: string[] = [];
    try {
      children = readFileSync(`/proc/${process.pid}/task/${task}/children`, "utf8").trim().split(/\s+/).filter(Boolean);
    } catch {
      continue;
    }
    for (const child of children.map(Number)) {
      if (child === appPid) continue;
      try {
        if (readFileSync(`/proc/${child}/cmdline`, "utf8").includes("gpio-daemon/src/main.ts")) return child;
      } catch {
        // Gone meanwhile.
      }
    }
  }
  throw new Error("the daemon's process was not found");
}

/** Accepted ids missing from the data dir or the API after the run. */
async function lostSubmissions(stack: Stack, accepted: readonly string[], recorder: Recorder): Promise<string[]> {
  const onDisk = new Set(readdirSync(join(stack.dataDir, "uploads")).filter((name) => name.endsWith(".json")).map((name) => name.slice(33, -5)));
  const lost: string[] = [];
  for (const uuid of accepted) {
    const answer = await timed(recorder, "check", `${stack.url}/api/submissions/${uuid}`, { headers: { "user-agent": "tree-load-test/1 checker" } }, [200]);
    if (!onDisk.has(uuid) || answer?.status !== 200) lost.push(uuid);
  }
  return lost;
}

/** What the run holds, so the time bound can still stop the stack and print the figures. */
const running: { stack?: Stack; recorder: Recorder; lost: number } = { recorder: new Recorder(), lost: 0 };

function summary(recorder: Recorder, lost: number): string {
  const queueP99 = recorder.p99("queue");
  const uploadP99 = recorder.p99("upload");
  return `load: ${recorder.requests} requests, ${recorder.errors} errors, p99 queue ${queueP99.toFixed(0)} ms, p99 upload ${uploadP99.toFixed(0)} ms, ${lost} lost`;
}

async function main(): Promise<number> {
  const { seconds, soak } = parseArgs(process.argv.slice(2));
  // All clients share 127.0.0.1, so the per-address caps are raised to the crowd's size (a venue has
  // one address per phone); history is kept long enough that no accepted submission is pruned mid-run.
  const config = {
    maxEventStreamsPerIp: 10000,
    maxLiveViewersPerIp: 10000,
    maxPendingPerIp: 10000,
    uploadsPerMinutePerIp: 10000,
    historyLimit: 100000,
  };
  const configPath = join(tmpdir(), `tree-load-${process.pid}.json`);
  writeFileSync(configPath, JSON.stringify(config));
  console.log(`load: every client is on 127.0.0.1, so the app runs with raised per-address caps: ${JSON.stringify(config)}`);
  console.log(`load: ${crowd.uploaders} uploaders, ${crowd.liveViewers} live viewers, ${crowd.queueListeners} queue listeners, ${crowd.previews} previews for ${seconds} s`);
  const stack = await startStack({ ledCount: 100, appArgs: ["--config", configPath] });
  running.stack = stack;
  const { recorder } = running;
  const accepted: string[] = [];
  const samplers = [new MinuteSampler("app", () => stack.appPid()), new MinuteSampler("daemon", () => daemonPid(stack.appPid()))];
  let lost: string[] = [];
  const failures: string[] = [];
  try {
    const withPreviews = await previewsAvailable(stack.url);
    if (!withPreviews) console.log("load: previews: not available (POST /api/preview answers 404); that part is skipped");
    const startMs = performance.now();
    const deadlineMs = startMs + seconds * 1000;
    const streams: StreamStats = { opened: 0, events: 0 };
    const live: LiveStats = { opened: 0, frames: 0 };
    await Promise.all([
      runUploaders({ base: stack.url, count: crowd.uploaders, deadlineMs, recorder, accepted }),
      runListeners(stack.url, crowd.queueListeners, deadlineMs, recorder, streams),
      runLiveViewers(stack.url, crowd.liveViewers, deadlineMs, recorder, live),
      withPreviews ? runPreviews(stack.url, crowd.previews, startMs, deadlineMs, recorder) : Promise.resolve(),
    ]);
    for (const sampler of samplers) sampler.stop();
    console.log(`load: ${accepted.length} uploads accepted; queue streams ${streams.opened} open, ${streams.events} events; live sockets ${live.opened} open, ${live.frames} frames`);
    const refusals = [...recorder.refusals].map(([code, n]) => `${code} ${n}`).join(", ");
    console.log(`load: documented refusals: ${refusals === "" ? "none" : refusals}`);
    for (const [route, list] of recorder.latencyMs) {
      console.log(`load: ${route.padEnd(10)} ${String(list.length).padStart(6)} requests, p50 ${recorder.p50(route).toFixed(1)} ms, p99 ${recorder.p99(route).toFixed(1)} ms`);
    }
    lost = await lostSubmissions(stack, accepted, recorder);
    running.lost = lost.length;
    for (const sampler of samplers) {
      const { rssKiB, fds, cpuShare } = sampler.medians();
      rssKiB.forEach((rss, minute) =>
        console.log(`load: ${sampler.name} minute ${minute + 1}: RSS ${(rss / 1024).toFixed(1)} MiB, ${fds[minute]} fds, CPU ${Math.round(cpuShare[minute]! * 100)} % of a core`),
      );
      if (soak) {
        for (const [what, series, rule] of [["RSS", rssKiB, rssRule], ["fds", fds, fdRule]] as const) {
          const verdict = steadyGrowth(series, rule);
          console.log(`load: ${sampler.name} ${what}: ${verdict.growing ? "GROWING" : "steady"} (${verdict.why})`);
          if (verdict.growing) failures.push(`${sampler.name} ${what} grows: ${verdict.why}`);
        }
      }
    }
  } finally {
    for (const sampler of samplers) sampler.stop();
    running.stack = undefined;
    await stack.stop();
    rmSync(configPath, { force: true });
  }
  const queueP99 = recorder.p99("queue");
  const uploadP99 = recorder.p99("upload");
  if (recorder.errors > 0) failures.push(`${recorder.errors} errors, e.g.:\n  ${recorder.examples.join("\n  ")}`);
  if (queueP99 >= thresholds.queueP99Ms) failures.push(`p99 of /api/queue is ${queueP99.toFixed(0)} ms (limit ${thresholds.queueP99Ms})`);
  if (uploadP99 >= thresholds.uploadP99Ms) failures.push(`p99 of /upload is ${uploadP99.toFixed(0)} ms (limit ${thresholds.uploadP99Ms})`);
  if (accepted.length === 0) failures.push("no upload was accepted: nothing was tested");
  if (lost.length > 0) failures.push(`${lost.length} accepted submissions are missing, e.g. ${lost.slice(0, 3).join(", ")}`);
  for (const failure of failures) console.log(`load: FAIL: ${failure}`);
  console.log(summary(recorder, lost.length));
  return failures.length === 0 ? 0 : 1;
}

/** Longest the whole run may take beyond its load phase (start-up, checks, shutdown). */
const overheadMs = 180_000;

if (process.env.BUN_CONFIG_MAX_HTTP_REQUESTS !== maxClientRequests) {
  // Re-run with fetch's connection cap raised (it is read at start-up).
  const child = Bun.spawn([process.execPath, import.meta.path, ...process.argv.slice(2)], {
    env: { ...process.env, BUN_CONFIG_MAX_HTTP_REQUESTS: maxClientRequests },
    stdio: ["ignore", "inherit", "inherit"],
  });
  process.exit(await child.exited);
} else {
  const { seconds } = parseArgs(process.argv.slice(2));
  const bound = setTimeout(async () => {
    console.log(`load: FAIL: the run did not finish within ${seconds} s + ${overheadMs / 1000} s`);
    running.recorder.error("the run overran its time bound");
    await Promise.race([running.stack?.stop(), Bun.sleep(10_000)]);
    console.log(summary(running.recorder, running.lost));
    process.exit(1);
  }, seconds * 1000 + overheadMs);
  const code = await main().catch(async (error) => {
    console.log(`load: FAIL: ${(error as Error).stack ?? String(error)}`);
    running.recorder.error(String(error));
    await running.stack?.stop();
    console.log(summary(running.recorder, running.lost));
    return 1;
  });
  clearTimeout(bound);
  process.exit(code);
}
