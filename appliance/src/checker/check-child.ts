/**
 * Runs upload-check.py in a child process limited in time (killed from here),
 * CPU and address space (rlimits it sets before reading the program), under a
 * seccomp filter it loads before parsing. The child's answer is untrusted
 * data: anything but one well-formed verdict is a rejection (fail closed).
 *
 * The checker is the first thing to parse a visitor's text, so it is confined
 * like the runner (command.ts): bwrap with every namespace unshared, nothing
 * of the filesystem but the read-only Python runtime, the sandbox's uid when
 * the app is root (a user namespace of its own otherwise), no capabilities and
 * the stage-1 seccomp filter, under which its own, stricter filter stacks.
 * A checker that cannot be confined rejects the program, saying why.
 */
import { Type as t } from "@sinclair/typebox";
import { Value } from "@sinclair/typebox/value";
import { closeSync, openSync } from "node:fs";
import { currentHost, jailed, spawnIdentity } from "../sandbox/command.ts";
import { defaultPolicy, type SandboxPolicy } from "../sandbox/policy.ts";
import { missingPrerequisite } from "../sandbox/readiness.ts";
import { stage1FilterFile } from "../sandbox/seccomp-filter.ts";
import { becomeSubreaper, reapStrayJails } from "../sandbox/subreaper.ts";
import { compiledCheckScript, compiledScriptLoader } from "./check-script.ts";
import { checkAddressSpaceBytes, checkCpuSeconds, checkTimeoutMs, maxCheckReplyBytes, maxConcurrentChecks } from "./limits.ts";
import { accepted, maxProblems, rejection, rejectionOf, type CheckVerdict } from "./verdict.ts";

/** Debian's interpreter, the one the sandbox runs; never whichever python3 is first on PATH. */
export const checkerPython = defaultPolicy.pythonPath;

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
  /** Replaces the whole confined checker command, unconfined (tests of the fail-closed paths only). */
  command?: string[];
  /** Replaces the checker's python3 command inside the jail (tests of the confinement only). */
  innerCommand?: string[];
  /** The jail (tests); default: the sandbox's own policy. */
  policy?: SandboxPolicy;
  /** Nobody waits on the answer: queued behind every check somebody waits for. */
  background?: boolean;
}

function couldNotCheck(reason: string): CheckVerdict {
  return rejection(
    1,
    1,
    `could not check this program (${reason}); it was not accepted. Make it simpler and try again, ` +
      `and tell the people running the tree if this keeps happening`,
  );
}

/** Enough of the checker's stderr for bwrap's one-line complaint. */
const maxComplaintBytes = 2048;
const complaintPatienceMs = 500;

let running = 0;
/** Checks a visitor waits on (an upload, the editor, Try it) go before background ones (a stored program's run). */
const waiting: (() => void)[] = [];
const waitingInBackground: (() => void)[] = [];

async function withSlot<T>(background: boolean, work: () => Promise<T>): Promise<T> {
  if (running >= maxConcurrentChecks) await new Promise<void>((resolve) => (background ? waitingInBackground : waiting).push(resolve));
  running += 1;
  try {
    return await work();
  } finally {
    running -= 1;
    (waiting.shift() ?? waitingInBackground.shift())?.();
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
  return withSlot(options.background === true, async () => {
    // The compiled checker travels ahead of the program on stdin (check-script.ts).
    let stdinHead: Uint8Array = new Uint8Array();
    const addressSpaceBytes = options.addressSpaceBytes ?? checkAddressSpaceBytes;
    const limitArgs = [String(options.maxInputBytes), String(addressSpaceBytes), String(checkCpuSeconds)];
    let argv: string[];
    let filterFd: number | undefined;
    let identity = {};
    if (options.command !== undefined) {
      argv = [...options.command, ...limitArgs];
    } else {
      const policy = options.policy ?? defaultPolicy;
      const host = currentHost();
      const missing = missingPrerequisite(policy, host) ?? becomeSubreaper();
      if (missing !== undefined && process.pid !== 1) return couldNotCheck(`the checker's sandbox is not available: ${missing}`);
      let inner = options.innerCommand;
      if (inner === undefined) {
        try {
          stdinHead = await compiledCheckScript(policy.pythonPath);
        } catch (error) {
          return couldNotCheck(`the checker is missing: ${(error as Error).message}`);
        }
        inner = [policy.pythonPath, "-I", "-S", "-B", "-c", compiledScriptLoader, String(stdinHead.length)];
      }
      try {
        const stage1 = await stage1FilterFile(policy.pythonPath, policy.stage1, policy.limits.filterCompileTimeoutMs);
        filterFd = openSync(stage1.path, "r");
      } catch (error) {
        return couldNotCheck(`the checker's sandbox is not available: ${(error as Error).message}`);
      }
      identity = spawnIdentity(policy, host);
      argv = jailed(policy, [...inner, ...limitArgs], host);
    }
    let child: ReturnType<typeof Bun.spawn<"pipe", "pipe", "pipe">>;
    try {
      // fd 3 is the runner's frame channel, unused here; bwrap reads the filter from fd 4 (policy.ts's seccompFd).
      const stdio = filterFd === undefined ? ["pipe", "pipe", "pipe"] : ["pipe", "pipe", "pipe", "ignore", filterFd];
      child = Bun.spawn(argv, { stdio: stdio as ["pipe", "pipe", "pipe"], env: {}, cwd: "/", ...identity });
    } catch (error) {
      return couldNotCheck(`${checkerPython} could not start: ${(error as Error).message}`);
    } finally {
      if (filterFd !== undefined) closeSync(filterFd);
    }
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill("SIGKILL");
    }, options.timeoutMs ?? checkTimeoutMs);
    try {
      const reply = readCapped(child.stdout, maxCheckReplyBytes);
      reply.catch(() => undefined); // awaited below unless the child was killed
      // Read only to tell an operator why the jail could not start (bwrap says so there).
      const complaints = readCapped(child.stderr, maxComplaintBytes);
      complaints.catch(() => undefined);
      // Not awaited before the exit: a jail killed before it read its input may
      // leave the pipe full, and the exit (at the latest, the timer's kill) ends that wait.
      void (async () => {
        try {
          if (stdinHead.length > 0) child.stdin.write(stdinHead);
          child.stdin.write(bytes);
          await child.stdin.end();
        } catch {
          // The child died early (killed, or refused the input); its exit status tells why.
        }
      })();
      const exitCode = await child.exited;
      // bwrap's pid 1 outlives its monitor by a moment (or was orphaned by the kill): collect it.
      if (filterFd !== undefined) await reapStrayJails();
      // Killed: answer now rather than wait for a pipe some stray holder might keep open.
      if (timedOut) return couldNotCheck(`checking took longer than ${(options.timeoutMs ?? checkTimeoutMs) / 1000} s`);
      if (exitCode !== 0) {
        if (child.signalCode !== null) return couldNotCheck(`the checker was stopped by ${child.signalCode}`);
        // Bounded: the pipe ends with the jail, unless some stray holder keeps it open.
        const said = await Promise.race([complaints, Bun.sleep(complaintPatienceMs).then(() => new Uint8Array())]);
        const jailComplaint = new TextDecoder().decode(said).split("\n").find((line) => line.startsWith("bwrap:"));
        return couldNotCheck(jailComplaint === undefined ? `the checker failed with exit code ${exitCode}` : `the checker's sandbox could not start: ${jailComplaint}`);
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
