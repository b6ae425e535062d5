/**
 * Runs upload-check.py in a child process limited in time (killed from here),
 * CPU and address space (rlimits it sets before reading the program), under a
 * seccomp filter it loads before parsing. The child's answer is untrusted
 * data: anything but one well-formed verdict is a rejection (fail closed).
 */
import { Type as t } from "@sinclair/typebox";
import { Value } from "@sinclair/typebox/value";
import { loadCheckScript } from "./check-script.ts";
import { checkAddressSpaceBytes, checkCpuSeconds, checkTimeoutMs, maxCheckReplyBytes, maxConcurrentChecks } from "./limits.ts";
import { accepted, maxProblems, rejection, rejectionOf, type CheckVerdict } from "./verdict.ts";

/** Debian's interpreter, the one the sandbox runs; never whichever python3 is first on PATH. */
export const checkerPython = "/usr/bin/python3";

const ChildReplySchema = t.Union([
  t.Object({ ok: t.Literal(true) }),
  t.Object({
    ok: t.Literal(false),
    message: t.String({ minLength: 1, maxLength: 2000 }),
    line: t.Integer({ minimum: 1 }),
    column: t.Integer({ minimum: 1 }),
    problems: t.Optional(
      t.Array(
        t.Object({ message: t.String({ minLength: 1, maxLength: 2000 }), line: t.Integer({ minimum: 1 }), column: t.Integer({ minimum: 1 }) }),
        { minItems: 1, maxItems: maxProblems },
      ),
    ),
  }),
]);

export interface ChildOptions {
  /** Bytes the child reads at most; the text rules have already enforced maxUploadBytes. */
  maxInputBytes: number;
  timeoutMs?: number;
  addressSpaceBytes?: number;
  /** Replaces `python3 -I -S -B -c SCRIPT` (tests of the fail-closed paths only). */
  command?: string[];
}

function couldNotCheck(reason: string): CheckVerdict {
  return rejection(
    1,
    1,
    `could not check this program (${reason}); it was not accepted. Make it simpler and try again, ` +
      `and tell the people running the tree if this keeps happening`,
  );
}

let running = 0;
const waiting: (() => void)[] = [];

async function withSlot<T>(work: () => Promise<T>): Promise<T> {
  if (running >= maxConcurrentChecks) await new Promise<void>((resolve) => waiting.push(resolve));
  running += 1;
  try {
    return await work();
  } finally {
    running -= 1;
    waiting.shift()?.();
  }
}

async function readCapped(stream: ReadableStream<Uint8Array>, maxBytes: number): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  let total = 0;
  const reader = stream.getReader();
  for (let next = await reader.read(); !next.done; next = await reader.read()) {
    if (total < maxBytes) chunks.push(next.value.subarray(0, maxBytes - total));
    total += next.value.length;
  }
  const out = new Uint8Array(Math.min(total, maxBytes));
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.length;
  }
  return out;
}

export function checkInChild(bytes: Uint8Array, options: ChildOptions): Promise<CheckVerdict> {
  return withSlot(async () => {
    let script: string;
    try {
      script = await loadCheckScript();
    } catch (error) {
      return couldNotCheck(`the checker is missing: ${(error as Error).message}`);
    }
    const addressSpaceBytes = options.addressSpaceBytes ?? checkAddressSpaceBytes;
    let child: ReturnType<typeof Bun.spawn<"pipe", "pipe", "ignore">>;
    try {
      const command = options.command ?? [checkerPython, "-I", "-S", "-B", "-c", script];
      child = Bun.spawn(
        [...command, String(options.maxInputBytes), String(addressSpaceBytes), String(checkCpuSeconds)],
        { stdin: "pipe", stdout: "pipe", stderr: "ignore", env: {}, cwd: "/" },
      );
    } catch (error) {
      return couldNotCheck(`${checkerPython} could not start: ${(error as Error).message}`);
    }
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill("SIGKILL");
    }, options.timeoutMs ?? checkTimeoutMs);
    try {
      const reply = readCapped(child.stdout, maxCheckReplyBytes);
      reply.catch(() => undefined); // awaited below unless the child was killed
      try {
        child.stdin.write(bytes);
        await child.stdin.end();
      } catch {
        // The child died early (killed, or refused the input); its exit status tells why.
      }
      const exitCode = await child.exited;
      // Killed: answer now rather than wait for a pipe some stray holder might keep open.
      if (timedOut) return couldNotCheck(`checking took longer than ${(options.timeoutMs ?? checkTimeoutMs) / 1000} s`);
      if (exitCode !== 0) {
        return couldNotCheck(child.signalCode === null ? `the checker failed with exit code ${exitCode}` : `the checker was stopped by ${child.signalCode}`);
      }
      return parseReply(new TextDecoder().decode(await reply));
    } finally {
      clearTimeout(timer);
    }
  });
}

function parseReply(text: string): CheckVerdict {
  const lines = text.trimEnd().split("\n");
  let reply: unknown;
  try {
    reply = JSON.parse(lines[lines.length - 1] ?? "");
  } catch {
    return couldNotCheck("the checker gave no verdict");
  }
  if (!Value.Check(ChildReplySchema, reply)) return couldNotCheck("the checker gave a malformed verdict");
  if (reply.ok) return accepted;
  const headline = { line: reply.line, column: reply.column, message: reply.message };
  return rejectionOf(reply.problems?.map(({ line, column, message }) => ({ line, column, message })) ?? [headline]);
}
