/**
 * Runs one visitor program in the jail and watches it from outside: the wall
 * clock, output volume and the frame channel are enforced here, where the
 * program cannot reach, and any breach ends in SIGKILL of the whole sandbox.
 * Everything the sandbox sends is hostile input: the frame channel has a byte
 * budget per second, and frames are decoded under a per-line byte cap with the
 * protocol's exact rules, rate-limited and flash-limited.
 */
import { closeSync, openSync, readFileSync } from "node:fs";
import { Type as t } from "@sinclair/typebox";
import { Value } from "@sinclair/typebox/value";
import { type PackedFrame } from "../../../protocol/frame.ts";
import { decodeFrameBytes } from "../../../protocol/frame-bytes.ts";
import { maxLedCount, maxLineBytes } from "../../../protocol/limits.ts";
import { checkProgram } from "../checker/check.ts";
import { ledPositions } from "../layout/positions.ts";
import { currentHost, jailCommand, spawnIdentity, type Host } from "./command.ts";
import { lastException, lastLine } from "./error-text.ts";
import { FlashGuard, flashNote } from "./flash/flash-guard.ts";
import { harnessConfig } from "./harness-config.ts";
import { loadHarnessSource } from "./harness-source.ts";
import { mib } from "./limits.ts";
import { CappedLineReader } from "./line-reader.ts";
import { OutputTail } from "./output-tail.ts";
import { defaultPolicy, frameFd, type SandboxPolicy } from "./policy.ts";
import { FloodWatch, TokenBucket } from "./rate-limit.ts";
import { missingPrerequisite } from "./readiness.ts";
import type { RunOptions, RunResult } from "./run-result.ts";
import { stage1FilterFile, withNumbers, type Stage1Filter } from "./seccomp-filter.ts";
import { becomeSubreaper, reapStrayJails } from "./subreaper.ts";

export { sandboxReadiness, type SandboxReadiness } from "./readiness.ts";

/** Starts `error` when the jail could not be used and so nothing ran (the CLI exits 1 then). */
export const sandboxUnavailable = "the sandbox is not available, so nothing was run";

/** The one record besides frames the harness writes to the frame channel: the visitor's error. */
const ErrorRecordSchema = t.Object(
  { error: t.String({ maxLength: 2000 }), line: t.Optional(t.Integer({ minimum: 1 })) },
  { additionalProperties: false },
);

/** A prepared start's harness says it is compiled and waits for go (harness.py _await_go); only as the channel's first line. */
const ReadyRecordSchema = t.Object({ ready: t.Literal(true) }, { additionalProperties: false });

const openBrace = 0x7b;

type Stop = { status: RunResult["status"]; error: string };

const signalNames: Record<number, string> = { 6: "SIGABRT", 9: "SIGKILL", 11: "SIGSEGV", 24: "SIGXCPU", 25: "SIGXFSZ", 31: "SIGSYS" };

function clip(text: string, maxChars: number): string {
  return text.length <= maxChars ? text : `${text.slice(0, maxChars - 1)}…`;
}

/** Why the program ended, in words for its owner, from how the sandbox exited. */
function exitExplanation(exitCode: number | null, stderrText: string): string {
  if (exitCode !== null && exitCode > 128) {
    const signal = exitCode - 128;
    if (signal === 31) return "stopped: the program tried an operation the sandbox does not allow";
    if (signal === 9) return "stopped: the program was killed (it probably used too much memory)";
    if (signal === 11) return "stopped: the Python interpreter crashed";
    return `stopped by signal ${signalNames[signal] ?? signal}`;
  }
  const last = lastLine(stderrText);
  if (last?.startsWith("bwrap:") === true) return `the sandbox could not start: ${last}`;
  return lastException(stderrText) ?? `the program exited with code ${exitCode}`;
}

/**
 * SIGKILL for the whole sandbox. The spawned process is bwrap's monitor; its
 * child is pid 1 of the sandbox's pid namespace, and killing that makes the
 * kernel kill everything inside. Both are killed at once. A pid 1 forked after the children list was read is
 * orphaned by the monitor's death and handed to the app, which kills and
 * collects it once the monitor has exited (subreaper.ts); so does the pid 1
 * of a run that ended normally, which outlives its monitor by a moment.
 */
function killSandbox(child: { pid: number; kill(signal: NodeJS.Signals): void }): void {
  let inner: string[] = [];
  try {
    inner = readFileSync(`/proc/${child.pid}/task/${child.pid}/children`, "utf8").trim().split(/\s+/).filter(Boolean);
  } catch {
    // Already gone.
  }
  child.kill("SIGKILL");
  for (const pid of inner) {
    try {
      process.kill(Number(pid), "SIGKILL");
    } catch {
      // Exited meanwhile.
    }
  }
}

/**
 * Once everything of the run is dead, its pipes end by themselves. This bounds
 * the wait anyway, so a run's promise settles even if some unforeseen holder
 * kept a write end open: the streams are then cancelled.
 */
const drainPatienceMs = 2000;

interface Pump {
  done: Promise<void>;
  cancel(): void;
}

function pump(stream: ReadableStream<Uint8Array>, onChunk: (chunk: Uint8Array) => void): Pump {
  const reader = stream.getReader();
  const done = (async () => {
    try {
      while (true) {
        const { done: ended, value } = await reader.read();
        if (ended) return;
        onChunk(value);
      }
    } catch {
      // A reader cancelled after the kill: nothing more to read.
    } finally {
      reader.releaseLock();
    }
  })();
  return { done, cancel: () => void reader.cancel().catch(() => undefined) };
}

function emptyResult(status: RunResult["status"], error: string, durationMs = 0): RunResult {
  return { status, frames: 0, dropped: 0, rejected: 0, durationMs, error, stdout: "", stderr: "" };
}

export interface RunInternals {
  /** Who starts the sandbox (tests pretend to be unprivileged). */
  host?: Host;
  /** Tells a test which fd of this process carried the frame channel (to check it gets closed). */
  onSpawned?: (info: { frameChannelFd: number }) => void;
}

export async function runProgram(options: RunOptions, internals: RunInternals = {}): Promise<RunResult> {
  const policy: SandboxPolicy = options.policy ?? defaultPolicy;
  const { limits } = policy;
  const { ledCount } = options;
  if (!Number.isInteger(ledCount) || ledCount < 1 || ledCount > maxLedCount) {
    throw new RangeError(`ledCount must be an integer 1-${maxLedCount}, got ${ledCount}`);
  }
  if (!(options.timeLimitMs > 0)) throw new RangeError(`timeLimitMs must be positive, got ${options.timeLimitMs}`);
  // A function, so TypeScript does not narrow the flag across the awaits below.
  const aborted = () => options.signal?.aborted === true;
  if (aborted()) return emptyResult("failed", "stopped before it started (cancelled)");

  if (options.skipCheck !== true) {
    // Uploads were checked before they were stored; this second look must not delay a visitor's upload.
    const verdict = await checkProgram(options.source, { background: true });
    if (!verdict.ok) return emptyResult("rejected", clip(verdict.error, limits.maxErrorChars));
  }

  const host = internals.host ?? currentHost();
  const missing = missingPrerequisite(policy, host);
  if (missing !== undefined) return emptyResult("failed", `${sandboxUnavailable}: ${missing}`);
  let stage1: Stage1Filter;
  let harness: string;
  let stage2: ReturnType<typeof withNumbers>;
  try {
    [stage1, harness] = await Promise.all([
      stage1FilterFile(policy.pythonPath, policy.stage1, limits.filterCompileTimeoutMs),
      loadHarnessSource(),
    ]);
    stage2 = withNumbers(policy.stage2, stage1.symbols);
  } catch (error) {
    return emptyResult("failed", `${sandboxUnavailable}: ${(error as Error).message}`);
  }

  const positions = options.positions ?? ledPositions(ledCount);
  if (positions.length !== ledCount) throw new RangeError(`positions must have one entry per LED (${ledCount}), got ${positions.length}`);
  // Built before the spawn: a bad setting throws while nothing runs yet.
  const flash = new FlashGuard(positions, limits, options.emission);
  const prepared = options.go !== undefined;
  const config = harnessConfig({ source: options.source, ledCount, positions, policy, stage2, awaitGo: prepared });

  const argv = jailCommand(policy, harness, host);
  // The check and the filter compile awaited: an abort may have come meanwhile.
  if (aborted()) return emptyResult("failed", "stopped before it started (cancelled)");
  const reaperMissing = becomeSubreaper();
  if (reaperMissing !== undefined && process.pid !== 1) return emptyResult("failed", `${sandboxUnavailable}: ${reaperMissing}`);
  // Moves to the go signal for a prepared start: the visitor's time counts from there.
  let startedMs = performance.now();
  const filterFd = openSync(stage1.path, "r");
  let child;
  try {
    child = Bun.spawn(argv, { stdio: ["pipe", "pipe", "pipe", "pipe", filterFd], env: {}, ...spawnIdentity(policy, host) });
  } catch (error) {
    return emptyResult("failed", `${sandboxUnavailable}: ${(error as Error).message}`);
  } finally {
    closeSync(filterFd);
  }

  let stop: Stop | undefined;
  const kill = (reason: Stop) => {
    if (stop !== undefined) return;
    stop = reason;
    killSandbox(child);
  };

  const stdout = new OutputTail(limits.outputTailBytes);
  const stderr = new OutputTail(limits.outputTailBytes);
  const watchOutput = (tail: OutputTail) => (chunk: Uint8Array) => {
    tail.push(chunk);
    if (stdout.total + stderr.total > limits.outputHardCapBytes) {
      kill({ status: "failed", error: `stopped: printed more than ${limits.outputHardCapBytes / 1024} KiB; print less` });
    }
  };

  let frames = 0;
  let dropped = 0;
  let rejected = 0;
  let held = 0;
  let softened = 0;
  let firstRejection: string | undefined;
  let visitorError: string | undefined;
  let bucket = new TokenBucket(limits.maxFramesPerSecond, limits.frameBurst, startedMs);
  const flood = new FloodWatch(limits.floodDroppedFramesPerSecond, limits.maxFloodSeconds);
  const lines = new CappedLineReader(maxLineBytes);

  const reject = (why: string) => {
    rejected += 1;
    firstRejection ??= why;
    if (rejected > limits.maxRejectedFrames) {
      kill({ status: "failed", error: `stopped: sent ${rejected} invalid frames (the first: ${clip(firstRejection, 200)})` });
    }
  };
  const show = (frame: PackedFrame, now: number) => {
    const verdict = flash.admit(frame, now);
    if (verdict.action === "held") {
      held += 1;
      return;
    }
    if (verdict.action === "softened") softened += 1;
    frames += 1;
    try {
      options.onFrame?.(verdict.frame);
    } catch {
      // A consumer's failure must not end the visitor's run.
    }
  };
  const recordText = new TextDecoder();
  // The harness writes the ready record before it reads go, so before anything of the
  // visitor's can write: only the channel's first line may be it, and only once.
  let firstLine = true;
  const onFrameLine = (line: Uint8Array) => {
    const isFirstLine = firstLine;
    firstLine = false;
    if (line[0] === openBrace) {
      let record: unknown;
      try {
        record = JSON.parse(recordText.decode(line));
      } catch {
        record = undefined;
      }
      if (prepared && isFirstLine && Value.Check(ReadyRecordSchema, record)) {
        try {
          options.onReady?.();
        } catch {
          // The caller's trouble; the run goes on.
        }
        return;
      }
      if (visitorError === undefined && Value.Check(ErrorRecordSchema, record)) {
        visitorError = record.line === undefined ? record.error : `line ${record.line}: ${record.error}`;
      } else {
        reject("an unexpected record on the frame channel");
      }
      return;
    }
    // The rate cap comes first, so a flood costs a token check per line, not a JSON parse.
    const now = performance.now();
    if (!bucket.take(now)) {
      dropped += 1;
      if (flood.dropped(now)) {
        kill({
          status: "failed",
          error: `stopped: sent frames far faster than ${limits.maxFramesPerSecond} per second for ${limits.maxFloodSeconds} s; use setLEDs, which paces itself`,
        });
      }
      return;
    }
    // Straight from the channel's bytes into a frame of its own (consumers may keep it).
    const decoded = decodeFrameBytes(line, ledCount);
    if (decoded.ok) show(decoded.frame, now);
    else reject(decoded.error);
  };
  // Bytes per one-second window: junk the line reader only skips still costs a read per chunk.
  let channelWindowStartMs = startedMs;
  let channelWindowBytes = 0;
  const onFrameChunk = (chunk: Uint8Array) => {
    if (stop !== undefined) return;
    const now = performance.now();
    if (now - channelWindowStartMs >= 1000) {
      channelWindowStartMs = now;
      channelWindowBytes = 0;
    }
    channelWindowBytes += chunk.length;
    if (channelWindowBytes > limits.maxFrameChannelBytesPerSecond) {
      kill({
        status: "failed",
        error: `stopped: wrote more than ${Math.round((limits.maxFrameChannelBytesPerSecond / mib) * 100) / 100} MiB in one second to the LED channel; use setLEDs, which paces itself`,
      });
      return;
    }
    for (const event of lines.push(chunk)) {
      if (event.kind === "line") onFrameLine(event.bytes);
      else reject(`a line of more than ${maxLineBytes} bytes`);
      if (stop !== undefined) return;
    }
  };

  let timer: ReturnType<typeof setTimeout> | undefined;
  let went = false;
  /** The program may run from now: its wall clock and frame budget start. */
  const startClock = () => {
    went = true;
    timer = setTimeout(
      () => kill({ status: "timeout", error: `stopped at the ${Math.round(options.timeLimitMs / 100) / 10} s limit` }),
      options.timeLimitMs,
    );
  };
  if (!prepared) startClock();
  const onAbort = () => kill({ status: "failed", error: went ? "stopped early: the run was cancelled" : "stopped before it started (cancelled)" });
  options.signal?.addEventListener("abort", onAbort, { once: true });

  // Bun hands extra stdio entries over as bare fds and never closes them: ours to close.
  const frameChannelFd = child.stdio[frameFd] as unknown as number;
  const frameStream = Bun.file(frameChannelFd).stream();
  internals.onSpawned?.({ frameChannelFd });
  const pumps = [
    pump(child.stdout, watchOutput(stdout)),
    pump(child.stderr, watchOutput(stderr)),
    pump(frameStream, onFrameChunk),
  ];
  // Not awaited before the exit: a sandbox killed before it read its config
  // may leave the pipe full, and the exit below is what ends that wait.
  const configSent = (async () => {
    try {
      if (prepared) {
        child.stdin.write(`${config}\n`);
        await child.stdin.flush();
        // Until go (or the end of the sandbox, e.g. killed by an abort), nothing more is sent.
        const next = await Promise.race([
          options.go!.then(() => "go" as const, () => "cancelled" as const),
          child.exited.then(() => "gone" as const),
        ]);
        if (next === "cancelled") kill({ status: "failed", error: "stopped before it started (cancelled)" });
        if (next !== "go" || stop !== undefined) return;
        startedMs = performance.now();
        bucket = new TokenBucket(limits.maxFramesPerSecond, limits.frameBurst, startedMs);
        channelWindowStartMs = startedMs;
        channelWindowBytes = 0;
        startClock();
        child.stdin.write("g");
      } else {
        child.stdin.write(config);
      }
      await child.stdin.end();
    } catch {
      // The sandbox died before reading its config; its exit status says why.
    }
  })();
  const exitCode = await child.exited;
  const durationMs = went ? Math.round(performance.now() - startedMs) : 0;
  clearTimeout(timer);
  options.signal?.removeEventListener("abort", onAbort);
  // The monitor is gone: kill and collect whatever of the sandbox it left (its pid 1).
  await reapStrayJails();
  // The pid namespace is gone, so every write end is closed; the pipes drain and end.
  const drained = await Promise.race([
    Promise.all([configSent, ...pumps.map((p) => p.done)]).then(() => true),
    new Promise<false>((resolve) => setTimeout(resolve, drainPatienceMs, false).unref()),
  ]);
  if (!drained) {
    for (const p of pumps) p.cancel();
    // Let the cancelled reads finish before their fd is closed (bounded too).
    await Promise.race([Promise.all(pumps.map((p) => p.done)), new Promise((resolve) => setTimeout(resolve, 200).unref())]);
  }
  closeSync(frameChannelFd);
  for (const event of lines.end()) {
    if (stop !== undefined) break;
    if (event.kind === "line") onFrameLine(event.bytes);
    else reject(`a line of more than ${maxLineBytes} bytes`);
  }

  const stderrText = stderr.text();
  let status: RunResult["status"];
  let error: string | undefined;
  if (stop !== undefined) {
    ({ status, error } = stop);
  } else if (exitCode === 0) {
    status = "completed";
  } else {
    status = "failed";
    error = visitorError ?? exitExplanation(exitCode, stderrText);
  }
  const result: RunResult = {
    status,
    frames,
    dropped,
    rejected,
    durationMs,
    stdout: stdout.text(),
    stderr: stderrText,
  };
  if (error !== undefined) result.error = clip(error, limits.maxErrorChars);
  if (held > 0) result.held = held;
  if (softened > 0) result.softened = softened;
  if (held + softened > 0) result.note = flashNote(limits);
  return result;
}
