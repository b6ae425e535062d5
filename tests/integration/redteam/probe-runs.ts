/**
 * Running one probe against the real runner with fresh canaries, and the
 * checks every run must pass whatever its status. The test file only says
 * which probe, which layer and which statuses.
 */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { sandboxLimits } from "../../../appliance/src/sandbox/limits.ts";
import { policyWith } from "../../../appliance/src/sandbox/policy.ts";
import type { RunResult } from "../../../appliance/src/sandbox/run-result.ts";
import { runProgram } from "../../../appliance/src/sandbox/runner.ts";
import { plantCanaries, type CanaryPlaces, type CanaryReport } from "./canaries.ts";
import { survivorsOf } from "./uid-processes.ts";

/** Short, so the whole table fits in about two minutes on two cores. */
export const probeTimeLimitMs = 3_000;
export const probeLedCount = 10;
/**
 * Each run gets a sandbox uid of its own when the suite runs as root (the
 * runner switches uid only then): RLIMIT_NPROC counts every process of a uid,
 * zombies included, so sharing one would let a bomb in one run, another
 * suite's sandbox, or the zombies bubblewrap leaves behind (FINDINGS.md, F1)
 * starve the next run. It also lets the suite prove that the run's uid owns
 * no live process afterwards.
 */
export const firstProbeUid = 61_000;
let runsStarted = 0;
/** How long a killed sandbox may take to be reaped before its leftovers count as survivors. */
const reapPatienceMs = 5_000;

/** The runner may start a cut tail with a line saying how much it dropped. */
const maxCutNoticeChars = 64;
/** Frames kept per run to look for the secret in (enough for seconds at the rate cap). */
const maxFramesKept = 1_000;

export const probeDir = fileURLToPath(new URL("./probes/", import.meta.url));

export function probeSource(name: string): string {
  return readFileSync(`${probeDir}${name}.py`, "utf8");
}

/** Probes name the canaries by placeholders, so each run can have its own. */
export function fillPlaceholders(source: string, places: CanaryPlaces): string {
  return source
    .replaceAll("@@SECRET_PATH@@", places.secretPath)
    .replaceAll("@@ROOT@@", places.root)
    .replaceAll("@@CANARY_DIR@@", places.canaryDir)
    .replaceAll("@@UNIX_SOCKET@@", places.unixSocketPath)
    .replaceAll("@@TCP_PORT@@", String(places.tcpPort))
    .replaceAll("@@UDP_PORT@@", String(places.udpPort))
    .replaceAll("@@CANARY_PID@@", String(places.pid));
}

export interface ProbeRun {
  result: RunResult;
  report: CanaryReport;
  /** Processes of the sandbox uid still alive after the run (only known when running as root). */
  survivors: number[];
  /** Everything a run gave back that a leak could hide in, found not to hold the secret when empty. */
  leaks: string[];
}

export async function runProbe(name: string, skipCheck: boolean): Promise<ProbeRun> {
  const uid = process.getuid?.() === 0 ? firstProbeUid + runsStarted++ : undefined;
  const canaries = await plantCanaries(uid);
  let closed = false;
  try {
    const frames: Uint8Array[] = [];
    const result = await runProgram({
      policy: uid === undefined ? undefined : policyWith({ sandboxUid: uid, sandboxGid: uid }),
      source: fillPlaceholders(probeSource(name), canaries),
      ledCount: probeLedCount,
      timeLimitMs: probeTimeLimitMs,
      skipCheck,
      onFrame: (frame) => {
        if (frames.length < maxFramesKept) frames.push(frame.slice());
      },
    });
    // Give a datagram or connection in flight a moment to land before counting.
    await new Promise((resolve) => setTimeout(resolve, 50));
    const report = canaries.report();
    await canaries.close();
    closed = true;
    const survivors = uid === undefined ? [] : await survivorsOf(uid, reapPatienceMs);
    return { result, report, survivors, leaks: leaksOf(result, frames, canaries.secret) };
  } finally {
    if (!closed) await canaries.close();
  }
}

export function leaksOf(result: RunResult, frames: Uint8Array[], secret: string): string[] {
  const leaks: string[] = [];
  const texts: [string, string][] = [
    ["stdout", result.stdout],
    ["stderr", result.stderr],
    ["error", result.error ?? ""],
  ];
  for (const [where, text] of texts) {
    if (text.includes(secret)) leaks.push(`the secret appeared in ${where}`);
    if (text.includes("ESCAPED:")) leaks.push(`${where} reports an escape: ${excerpt(text, "ESCAPED:")}`);
    if (text.includes("'secret.txt'")) leaks.push(`${where} lists the canary directory`);
    if (/root:[^:\n]*:0:/.test(text)) leaks.push(`${where} shows a host passwd/shadow line`);
    if (text.length > sandboxLimits.outputTailBytes + maxCutNoticeChars) leaks.push(`${where} is ${text.length} characters, past the tail limit`);
  }
  // A program that read the secret could spell it in LED values, across frames: as raw bytes, one
  // character per red channel, or one character per frame in the first LED.
  const latin1 = (bytes: Uint8Array[]) => Buffer.concat(bytes).toString("latin1");
  const spellings = [
    latin1(frames),
    latin1(frames.map((frame) => frame.filter((_, at) => at % 4 === 0))),
    latin1(frames.map((frame) => frame.subarray(0, 1))),
  ];
  if (spellings.some((text) => text.includes(secret))) leaks.push("the frames spell the secret");
  return leaks;
}

function excerpt(text: string, marker: string): string {
  const at = text.indexOf(marker);
  return text.slice(at, at + 200);
}

/** A breach of any canary, or a process left behind, in words; empty when all held. */
export function canaryBreaches({ report, survivors }: Pick<ProbeRun, "report" | "survivors">): string[] {
  const breaches: string[] = [];
  if (report.tcpConnections > 0) breaches.push(`${report.tcpConnections} TCP connection(s) reached the canary port`);
  if (report.udpDatagrams > 0) breaches.push(`${report.udpDatagrams} UDP datagram(s) reached the canary port`);
  if (report.unixConnections > 0) breaches.push(`${report.unixConnections} connection(s) reached the canary Unix socket`);
  if (report.dirChanges !== "") breaches.push(`the canary directory changed:\n${report.dirChanges}`);
  if (!report.processAlive) breaches.push("the canary process of the sandbox uid was killed");
  if (survivors.length > 0) breaches.push(`processes of the sandbox uid outlived the run: ${survivors.join(", ")}`);
  return breaches;
}
