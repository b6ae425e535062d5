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

type CheckerProcess = ReturnType<typeof Bun.spawn<"pipe", "pipe", "pipe">>;

interface StartedChecker {
  child: CheckerProcess;
  /** Inside the jail (bwrap's leftovers need collecting after it exits). */
  jailed: boolean;
}

/**
 * Starts a checker that waits for the program on stdin. The compiled checker travels
 * ahead of the program (check-script.ts) and is written at once: the child loads it,
 * sets its limits and then blocks reading the program, so a started checker can wait.
 */
async function startChecker(options: ChildOptions): Promise<StartedChecker | CheckVerdict> {
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
  let child: CheckerProcess;
  try {
    // fd 3 is the runner's frame channel, unused here; bwrap reads the filter from fd 4 (policy.ts's seccompFd).
    const stdio = filterFd === undefined ? ["pipe", "pipe", "pipe"] : ["pipe", "pipe", "pipe", "ignore", filterFd];
    child = Bun.spawn(argv, { stdio: stdio as ["pipe", "pipe", "pipe"], env: {}, cwd: "/", ...identity });
  } catch (error) {
    return couldNotCheck(`${checkerPython} could not start: ${(error as Error).message}`);
  } finally {
    if (filterFd !== undefined) closeSync(filterFd);
  }
  if (stdinHead.length > 0) {
    try {
      child.stdin.write(stdinHead);
      void child.stdin.flush();
    } catch {
      // The child died at once; its exit status tells why when the check waits on it.
    }
  }
  return { child, jailed: filterFd !== undefined };
}

/**
 * One checker started ahead, waiting for a program, so a visitor's check does not wait
 * for a jail and an interpreter to start (most of a check's time). It serves exactly one
 * check and is replaced afterwards: no state ever passes from one program's check to the
 * next. Only for the default jail and limits (what serve uses), and only when asked.
 */
let spareWanted = false;
let spare: Promise<StartedChecker | CheckVerdict> | undefined;

const spareOptions = (options: ChildOptions) =>
  options.command === undefined && options.innerCommand === undefined && options.policy === undefined && options.addressSpaceBytes === undefined;

function startSpare(maxInputBytes: number): void {
  if (!spareWanted || spare !== undefined) return;
  spare = startChecker({ maxInputBytes }).then((started) => {
    // Idle, it must not keep a finished CLI or test process alive.
    if ("child" in started) started.child.unref();
    return started;
  });
  spareInputBytes = maxInputBytes;
}
let spareInputBytes = 0;

async function takeSpare(options: ChildOptions): Promise<StartedChecker | undefined> {
  if (spare === undefined || !spareOptions(options) || spareInputBytes !== options.maxInputBytes) return undefined;
  const taken = await spare;
  spare = undefined;
  if (!("child" in taken)) return undefined;
  if (taken.child.exitCode === null && taken.child.signalCode === null) {
    taken.child.ref();
    return taken;
  }
  // Died while it waited (killed from outside): collect it, and start one afresh.
  if (taken.jailed) await reapStrayJails();
  return undefined;
}

/** Keeps one checker started ahead from now on (tree-app serve); `false` stops it. */
export function keepSpareChecker(wanted: boolean, maxInputBytes: number): void {
  spareWanted = wanted;
  if (wanted) {
    startSpare(maxInputBytes);
    return;
  }
  const waiting = spare;
  spare = undefined;
  void waiting?.then((started) => {
    if ("child" in started) started.child.kill("SIGKILL");
  });
}

/** The waiting checker's process id, if one is up (tests and the bench watch it being used once). */
export async function spareCheckerPid(): Promise<number | undefined> {
  const waiting = await spare;
  return waiting !== undefined && "child" in waiting && waiting.child.exitCode === null ? waiting.child.pid : undefined;
}

export function checkInChild(bytes: Uint8Array, options: ChildOptions): Promise<CheckVerdict> {
  return withSlot(options.background === true, async () => {
    try {
      const spareOne = await takeSpare(options);
      if (spareOne !== undefined) {
        const answer = await checkWith(spareOne, bytes, options);
        // It died while it waited, just before it was taken (its exit not yet seen): a fresh one decides.
        if (!answer.childFailed) return answer.verdict;
      }
      const started = await startChecker(options);
      if (!("child" in started)) return started;
      return (await checkWith(started, bytes, options)).verdict;
    } finally {
      // The next one starts once this check is answered, so it never competes with it.
      if (spareOptions(options)) startSpare(options.maxInputBytes);
    }
  });
}

/** Hands the program to a started checker and reads its verdict; `childFailed` when it gave none of its own. */
async function checkWith(started: StartedChecker, bytes: Uint8Array, options: ChildOptions): Promise<{ verdict: CheckVerdict; childFailed: boolean }> {
  const { child } = started;
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
        child.stdin.write(bytes);
        await child.stdin.end();
      } catch {
        // The child died early (killed, or refused the input); its exit status tells why.
      }
    })();
    const exitCode = await child.exited;
    // bwrap's pid 1 outlives its monitor by a moment (or was orphaned by the kill): collect it.
    if (started.jailed) await reapStrayJails();
    // Killed: answer now rather than wait for a pipe some stray holder might keep open.
    if (timedOut) return { verdict: couldNotCheck(`checking took longer than ${(options.timeoutMs ?? checkTimeoutMs) / 1000} s`), childFailed: false };
    if (exitCode !== 0) {
      // Only a SIGKILL from outside (not ours: the timer's is handled above) can have hit a waiting
      // checker; what a program can provoke (SIGXCPU, SIGSYS) must not buy it a second check.
      if (child.signalCode !== null) return { verdict: couldNotCheck(`the checker was stopped by ${child.signalCode}`), childFailed: child.signalCode === "SIGKILL" };
      // Bounded: the pipe ends with the jail, unless some stray holder keeps it open.
      const said = await Promise.race([complaints, Bun.sleep(complaintPatienceMs).then(() => new Uint8Array())]);
      const jailComplaint = new TextDecoder().decode(said).split("\n").find((line) => line.startsWith("bwrap:"));
      const verdict = couldNotCheck(jailComplaint === undefined ? `the checker failed with exit code ${exitCode}` : `the checker's sandbox could not start: ${jailComplaint}`);
      return { verdict, childFailed: jailComplaint !== undefined };
    }
    return { verdict: parseReply(new TextDecoder().decode(await reply)), childFailed: false };
  } finally {
    clearTimeout(timer);
  }
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
