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
import {
  checkAddressSpaceBytes,
  checkCpuSeconds,
  checksPerServingChecker,
  checkTimeoutMs,
  maxCheckReplyBytes,
  maxConcurrentChecks,
  servingCheckerBusySeconds,
  servingCheckerCpuSeconds,
} from "./limits.ts";
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
  /** bwrap's one-line complaint, if the jail could not start (read until the child exits). */
  complaints: Promise<Uint8Array>;
}

/**
 * Starts a checker that waits for input on stdin: one program (`once`), or one program after
 * another (`serve`, upload-check.py's serve()). The compiled checker travels ahead of the input
 * (check-script.ts) and is written at once, so a started checker can wait, loaded.
 */
async function startChecker(options: ChildOptions, mode: "once" | "serve"): Promise<StartedChecker | CheckVerdict> {
  let stdinHead: Uint8Array = new Uint8Array();
  const addressSpaceBytes = options.addressSpaceBytes ?? checkAddressSpaceBytes;
  const limitArgs = [String(options.maxInputBytes), String(addressSpaceBytes)];
  limitArgs.push(...(mode === "serve" ? [String(servingCheckerCpuSeconds), "serve"] : [String(checkCpuSeconds)]));
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
  // Read only to tell an operator why the jail could not start (bwrap says so there).
  const complaints = readCapped(child.stderr, maxComplaintBytes);
  complaints.catch(() => undefined);
  if (stdinHead.length > 0) {
    try {
      child.stdin.write(stdinHead);
      void Promise.resolve(child.stdin.flush()).catch(() => undefined);
    } catch {
      // The child died at once; its exit status tells why when the check waits on it.
    }
  }
  return { child, jailed: filterFd !== undefined, complaints };
}

/** A verdict, and whether the checker gave none of its own (it died, or said something else). */
interface CheckAnswer {
  verdict: CheckVerdict;
  /** Died from outside (SIGKILL not ours) or its jail never started: another checker may decide. */
  childFailed: boolean;
  /** The checker answered in form and may take the next program (serving checkers). */
  answered: boolean;
}

/** Why a checker ended without a verdict, as the visitor reads it. */
async function endedWithoutVerdict(started: StartedChecker, options: ChildOptions, timedOut: boolean): Promise<CheckAnswer> {
  const { child } = started;
  const exitCode = await child.exited;
  // bwrap's pid 1 outlives its monitor by a moment (or was orphaned by the kill): collect it.
  if (started.jailed) await reapStrayJails();
  if (timedOut) return { verdict: couldNotCheck(`checking took longer than ${(options.timeoutMs ?? checkTimeoutMs) / 1000} s`), childFailed: false, answered: false };
  // Only a SIGKILL from outside (not ours: the timer's is handled above) can have hit a waiting
  // checker; what a program can provoke (SIGXCPU, SIGSYS) must not buy it a second check.
  if (child.signalCode !== null) return { verdict: couldNotCheck(`the checker was stopped by ${child.signalCode}`), childFailed: child.signalCode === "SIGKILL", answered: false };
  // Bounded: the pipe ends with the jail, unless some stray holder keeps it open.
  const said = await Promise.race([started.complaints, Bun.sleep(complaintPatienceMs).then(() => new Uint8Array())]);
  const jailComplaint = new TextDecoder().decode(said).split("\n").find((line) => line.startsWith("bwrap:"));
  const verdict = couldNotCheck(jailComplaint === undefined ? `the checker failed with exit code ${exitCode}` : `the checker's sandbox could not start: ${jailComplaint}`);
  return { verdict, childFailed: jailComplaint !== undefined, answered: false };
}

/** One program, one checker: the checker reads it to the end of its input and exits. */
async function checkOnce(started: StartedChecker, bytes: Uint8Array, options: ChildOptions): Promise<CheckAnswer> {
  const { child } = started;
  const deadline = killAtDeadline(child, options);
  try {
    const reply = readCapped(child.stdout, maxCheckReplyBytes);
    reply.catch(() => undefined); // awaited below unless the child was killed
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
    if (deadline.passed || exitCode !== 0) return await endedWithoutVerdict(started, options, deadline.passed);
    if (started.jailed) await reapStrayJails();
    return { verdict: parseReply(new TextDecoder().decode(await reply)), childFailed: false, answered: true };
  } finally {
    deadline.clear();
  }
}

/** Kills the checker when the check's time is up; `passed` says whether that happened. */
function killAtDeadline(child: CheckerProcess, options: ChildOptions): { readonly passed: boolean; clear(): void } {
  let passed = false;
  const timer = setTimeout(() => {
    passed = true;
    child.kill("SIGKILL");
  }, options.timeoutMs ?? checkTimeoutMs);
  return {
    get passed() {
      return passed;
    },
    clear: () => clearTimeout(timer),
  };
}

/**
 * A checker that checks one program after another, so a visitor's check does not wait for a jail
 * and an interpreter to start (most of a check's cost). It only ever parses text, never runs it,
 * and holds nothing of one program when it reads the next; it is retired after
 * `checksPerServingChecker` programs or any answer out of form, and killed on a timeout.
 */
class ServingChecker {
  checks = 0;
  busyMs = 0;
  private readonly reader: ReadableStreamDefaultReader<Uint8Array>;
  private buffered = new Uint8Array();

  constructor(readonly started: StartedChecker) {
    this.reader = started.child.stdout.getReader();
  }

  get pid(): number {
    return this.started.child.pid;
  }

  get alive(): boolean {
    return this.started.child.exitCode === null && this.started.child.signalCode === null;
  }

  async check(bytes: Uint8Array, options: ChildOptions): Promise<CheckAnswer> {
    const { child } = this.started;
    const startedMs = performance.now();
    this.checks += 1;
    const deadline = killAtDeadline(child, options);
    try {
      try {
        child.stdin.write(`${bytes.length}\n`);
        child.stdin.write(bytes);
        await child.stdin.flush();
      } catch {
        // It died; reading its output below ends at once and the exit says why.
      }
      // Killed: answer once it is gone rather than wait for a pipe some stray holder might keep open.
      const gone = child.exited.then(() => Bun.sleep(complaintPatienceMs)).then(() => undefined);
      const line = await Promise.race([this.readLine(), gone]);
      if (line === undefined) return await endedWithoutVerdict(this.started, options, deadline.passed);
      const verdict = parseReply(line);
      // An answer out of form (its "internal" reply, or garbage) retires it: it exits after one anyway.
      // So does the timer's kill, even when the verdict came in first: the checker is gone.
      return { verdict, childFailed: false, answered: !deadline.passed && Value.Check(ChildReplySchema, safeJson(line)) };
    } finally {
      deadline.clear();
      this.busyMs += performance.now() - startedMs;
    }
  }

  /** The next line of output, or undefined when the output ends (or runs past the reply cap) first. */
  private async readLine(): Promise<string | undefined> {
    for (;;) {
      const newline = this.buffered.indexOf(0x0a);
      if (newline >= 0) {
        const line = new TextDecoder().decode(this.buffered.subarray(0, newline));
        this.buffered = this.buffered.slice(newline + 1);
        return line;
      }
      if (this.buffered.length > maxCheckReplyBytes) {
        this.started.child.kill("SIGKILL");
        return undefined;
      }
      const next = await this.reader.read().catch(() => undefined);
      if (next === undefined || next.done) return undefined;
      const joined = new Uint8Array(this.buffered.length + next.value.length);
      joined.set(this.buffered);
      joined.set(next.value, this.buffered.length);
      this.buffered = joined;
    }
  }

  /** Ends its input: it exits by itself; then its jail is collected. */
  async retire(): Promise<void> {
    try {
      await this.started.child.stdin.end();
    } catch {
      // Already gone.
    }
    const exited = await Promise.race([this.started.child.exited.then(() => true), Bun.sleep(retirePatienceMs).then(() => false)]);
    if (!exited) this.started.child.kill("SIGKILL");
    await this.started.child.exited;
    if (this.started.jailed) await reapStrayJails();
  }

  kill(): void {
    this.started.child.kill("SIGKILL");
  }
}

const safeJson = (text: string): unknown => {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
};

/** How long a retired checker may take to leave before it is killed. */
const retirePatienceMs = 2000;

/** Serving checkers, used only when asked (tree-app serve) and only for the default jail and limits. */
const serving = {
  wanted: false,
  maxInputBytes: 0,
  checksPerChecker: checksPerServingChecker,
  idle: [] as ServingChecker[],
  starting: undefined as Promise<void> | undefined,
};

const servesDefaults = (options: ChildOptions) =>
  serving.wanted &&
  options.maxInputBytes === serving.maxInputBytes &&
  options.command === undefined &&
  options.innerCommand === undefined &&
  options.policy === undefined &&
  options.addressSpaceBytes === undefined;

async function startServing(): Promise<ServingChecker | CheckVerdict> {
  const started = await startChecker({ maxInputBytes: serving.maxInputBytes }, "serve");
  return "child" in started ? new ServingChecker(started) : started;
}

/** Keeps one checker loaded and waiting while none is idle, so the next check skips the start. */
function warmUp(): void {
  if (!serving.wanted || serving.idle.length > 0 || serving.starting !== undefined) return;
  serving.starting = (async () => {
    const checker = await startServing();
    serving.starting = undefined;
    if (!(checker instanceof ServingChecker)) return;
    if (!serving.wanted) return void checker.retire();
    idleChecker(checker);
  })();
}

function idleChecker(checker: ServingChecker): void {
  // Idle, it must not keep a finished process alive.
  checker.started.child.unref();
  serving.idle.push(checker);
}

function takeIdle(): ServingChecker | undefined {
  for (let checker = serving.idle.pop(); checker !== undefined; checker = serving.idle.pop()) {
    if (checker.alive) {
      checker.started.child.ref();
      return checker;
    }
    void checker.retire(); // died while it waited: collect it
  }
  return undefined;
}

/** The checkers waiting for a program (tests and the bench watch them being reused and replaced). */
export function servingCheckerPids(): number[] {
  return serving.idle.filter((checker) => checker.alive).map((checker) => checker.pid);
}

/**
 * From now on, checks with the default jail and limits go to checkers that serve one program after
 * another (tree-app serve turns this on); `false` retires the idle ones. `checksPerChecker` is for tests.
 */
export function keepCheckersServing(wanted: boolean, maxInputBytes: number, checksPerChecker = checksPerServingChecker): void {
  serving.wanted = wanted;
  serving.maxInputBytes = maxInputBytes;
  serving.checksPerChecker = checksPerChecker;
  if (wanted) return warmUp();
  for (const checker of serving.idle.splice(0)) void checker.retire();
}

async function checkServed(bytes: Uint8Array, options: ChildOptions): Promise<CheckVerdict> {
  const waiting = takeIdle();
  const checker = waiting ?? (await startServing());
  if (!(checker instanceof ServingChecker)) return checker;
  const answer = await checker.check(bytes, options);
  const fresh = checker.checks === 1 && waiting === undefined;
  const keep = answer.answered && checker.alive && checker.checks < serving.checksPerChecker && checker.busyMs < servingCheckerBusySeconds * 1000;
  if (keep && serving.wanted) idleChecker(checker);
  else void checker.retire();
  warmUp();
  // It died while it waited, just before it was taken (its exit not yet seen): a fresh one decides.
  if (answer.childFailed && !fresh) return checkServed(bytes, options);
  return answer.verdict;
}

export function checkInChild(bytes: Uint8Array, options: ChildOptions): Promise<CheckVerdict> {
  return withSlot(options.background === true, async () => {
    if (servesDefaults(options)) return checkServed(bytes, options);
    const started = await startChecker(options, "once");
    if (!("child" in started)) return started;
    return (await checkOnce(started, bytes, options)).verdict;
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
