/**
 * `tree-app run FILE --led-count N [--time-limit S] [--frames OUT.jsonl] [--skip-check]`
 * Runs one program in the sandbox (the scheduler's code path, without the
 * daemon) and prints the RunResult as one JSON object on the last stdout line.
 * --frames writes each accepted frame as one JSON line (the bare array).
 * Exit 0 when the run happened, whatever its status; 1 when the sandbox is not
 * available; 2 for usage errors.
 */
import { closeSync, openSync, readFileSync, statSync, writeSync } from "node:fs";
import { encodeFrame } from "../../../protocol/frame.ts";
import { maxLedCount } from "../../../protocol/limits.ts";
import { checkProgramBytes } from "../checker/check.ts";
import { sandboxLimits } from "../sandbox/limits.ts";
import type { RunResult } from "../sandbox/run-result.ts";
import { runProgram, sandboxUnavailable } from "../sandbox/runner.ts";

const usage = "usage: tree-app run FILE --led-count N [--time-limit SECONDS] [--frames OUT.jsonl] [--skip-check]";
/** Larger files are refused before reading (the upload check allows far less anyway). */
export const maxRunFileBytes = 1024 * 1024;
/** Longest --time-limit accepted, in seconds. */
export const maxTimeLimitSeconds = 3600;

interface RunArgs {
  file: string;
  ledCount: number;
  timeLimitMs: number;
  framesPath?: string;
  skipCheck: boolean;
}

function parseArgs(args: string[]): RunArgs | string {
  let file: string | undefined;
  let ledCount: number | undefined;
  let timeLimitMs: number = sandboxLimits.runTimeoutMs;
  let framesPath: string | undefined;
  let skipCheck = false;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    const [flag, inline] = arg.startsWith("--") && arg.includes("=") ? [arg.slice(0, arg.indexOf("=")), arg.slice(arg.indexOf("=") + 1)] : [arg, undefined];
    const value = () => inline ?? args[++i];
    if (flag === "--skip-check") skipCheck = true;
    else if (flag === "--led-count") {
      const text = value();
      if (text === undefined || !/^\d+$/.test(text) || Number(text) < 1 || Number(text) > maxLedCount) {
        return `--led-count needs a whole number from 1 to ${maxLedCount}, got ${text === undefined ? "nothing" : JSON.stringify(text)}`;
      }
      ledCount = Number(text);
    } else if (flag === "--time-limit") {
      const text = value();
      const seconds = Number(text);
      if (text === undefined || text.trim() === "" || !Number.isFinite(seconds) || seconds <= 0 || seconds > maxTimeLimitSeconds) {
        return `--time-limit needs a number of seconds above 0 and at most ${maxTimeLimitSeconds}, got ${text === undefined ? "nothing" : JSON.stringify(text)}`;
      }
      timeLimitMs = Math.round(seconds * 1000);
    } else if (flag === "--frames") {
      framesPath = value();
      if (framesPath === undefined || framesPath === "") return "--frames needs a file name";
    } else if (flag.startsWith("-") && flag !== "-") return `unknown option ${flag}`;
    else if (file === undefined) file = arg;
    else return `only one FILE please (got ${JSON.stringify(file)} and ${JSON.stringify(arg)})`;
  }
  if (file === undefined) return "FILE is missing";
  if (ledCount === undefined) return "--led-count is required";
  return { file, ledCount, timeLimitMs, framesPath, skipCheck };
}

function readProgram(file: string): Uint8Array | string {
  try {
    const size = statSync(file).size;
    if (size > maxRunFileBytes) return `${file} is ${size} bytes; the most this command reads is ${maxRunFileBytes}`;
    return readFileSync(file);
  } catch (error) {
    return `cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`;
  }
}

export async function main(args: string[]): Promise<number> {
  const parsed = parseArgs(args);
  if (typeof parsed === "string") {
    console.error(`${parsed}\n${usage}`);
    return 2;
  }
  const bytes = readProgram(parsed.file);
  if (typeof bytes === "string") {
    console.error(bytes);
    return 2;
  }
  let source: string;
  try {
    source = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    source = "";
  }
  let result: RunResult;
  // Bytes that are not UTF-8 never become text: the checker's byte-level verdict answers.
  const byteVerdict = parsed.skipCheck || source !== "" || bytes.length === 0 ? undefined : await checkProgramBytes(bytes);
  if (byteVerdict !== undefined && !byteVerdict.ok) {
    result = { status: "rejected", frames: 0, dropped: 0, rejected: 0, durationMs: 0, error: byteVerdict.error, stdout: "", stderr: "" };
  } else {
    let framesFd: number | undefined;
    if (parsed.framesPath !== undefined) {
      try {
        framesFd = openSync(parsed.framesPath, "w");
      } catch (error) {
        console.error(`cannot write ${parsed.framesPath}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
        return 2;
      }
    }
    try {
      result = await runProgram({
        source,
        ledCount: parsed.ledCount,
        timeLimitMs: parsed.timeLimitMs,
        skipCheck: parsed.skipCheck,
        onFrame: framesFd === undefined ? undefined : (frame) => void writeSync(framesFd, `${encodeFrame(frame)}\n`),
      });
    } finally {
      if (framesFd !== undefined) closeSync(framesFd);
    }
  }
  process.stdout.write(`${JSON.stringify(result)}\n`);
  return result.error?.startsWith(sandboxUnavailable) === true ? 1 : 0;
}
