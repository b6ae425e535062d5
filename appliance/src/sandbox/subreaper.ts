/**
 * The app as the reaper of its sandboxes' processes, so that nothing of a run
 * outlives it whatever the timing of a kill.
 *
 * A parent-death signal cannot be trusted for this: the child arms it after
 * the fork, so a child forked just before its parent dies never gets it. bwrap
 * forks the sandbox's pid 1 and arms that process only after the namespace is
 * built; if bwrap's monitor is killed meanwhile (an early cancel), pid 1 used
 * to be adopted by the host's init and run the visitor's program for good.
 *
 * With PR_SET_CHILD_SUBREAPER the kernel hands such orphans to the app instead
 * of init. The only process of a run that can be orphaned is that pid 1 (the
 * monitor is the app's own child, the visitor's process lives inside the
 * namespace), and an adopted one belongs to a run whose monitor has already
 * died (a live run's pid 1 still has its parent). So `reapStrayJails` kills
 * each (killing a pid namespace's pid 1 kills everything inside it) and waits
 * for it; it is also how a normal run's pid 1, which outlives the monitor by
 * a moment, is collected. The orphan is our child,
 * so its pid cannot be reused before we reap it: the kill cannot hit a stranger.
 * Bun never reaps children it did not spawn; this module does.
 */
import { readdirSync, readFileSync } from "node:fs";
import { dlopen, FFIType, ptr } from "bun:ffi";

const PR_SET_CHILD_SUBREAPER = 36;
const WNOHANG = 1;

type Libc = {
  prctl: (option: number, arg2: bigint, arg3: bigint, arg4: bigint, arg5: bigint) => number;
  waitpid: (pid: number, status: ReturnType<typeof ptr>, options: number) => number;
};

let libc: Libc | undefined;
let subreaperState: { ok: true } | { ok: false; reason: string } | undefined;

function openLibc(): Libc {
  if (libc === undefined) {
    const { symbols } = dlopen("libc.so.6", {
      prctl: { args: [FFIType.i32, FFIType.u64, FFIType.u64, FFIType.u64, FFIType.u64], returns: FFIType.i32 },
      waitpid: { args: [FFIType.i32, FFIType.ptr, FFIType.i32], returns: FFIType.i32 },
    });
    libc = symbols as unknown as Libc;
  }
  return libc;
}

/**
 * Makes this process the subreaper of everything it starts (once; the answer
 * is cached). Undefined when done, else why not, for the operator.
 */
export function becomeSubreaper(): string | undefined {
  if (subreaperState === undefined) {
    try {
      subreaperState = openLibc().prctl(PR_SET_CHILD_SUBREAPER, 1n, 0n, 0n, 0n) === 0
        ? { ok: true }
        : { ok: false, reason: "the kernel refused prctl(PR_SET_CHILD_SUBREAPER), so the sandbox's orphaned processes could not be collected" };
    } catch (error) {
      subreaperState = { ok: false, reason: `libc could not be loaded to collect the sandbox's orphaned processes: ${(error as Error).message}` };
    }
  }
  return subreaperState.ok ? undefined : subreaperState.reason;
}

/** The pid levels in /proc/PID/status's NSpid line: outermost namespace (this /proc's) first. */
function nsPids(pid: number | "self"): number[] | undefined {
  try {
    const line = /^NSpid:\s+(.*)$/m.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1];
    return line?.trim().split(/\s+/).map(Number);
  } catch {
    return undefined; // gone
  }
}

/**
 * Our children that are a jail's pid 1 (bwrap's init of the sandbox's pid
 * namespace), as pids in our own namespace. Bun's own children are never the
 * init of a namespace, so they are never taken for orphans: this holds even
 * for children of other threads of this process with a module state of their
 * own (vitest's workers), which no registry here could see. /proc may belong
 * to an outer pid namespace than ours (an app made PID 1 by unshare --pid
 * without a /proc of its own), so pids are translated with NSpid.
 */
function adoptedJailInits(): number[] {
  const own = nsPids("self");
  if (own === undefined) return [];
  const depth = own.length;
  const found: number[] = [];
  let tasks: string[] = [];
  try {
    tasks = readdirSync(`/proc/${own[0]}/task`);
  } catch {
    return found;
  }
  // An orphan is handed to one of our threads, whichever; each thread lists its own children.
  for (const task of tasks) {
    let children: string[] = [];
    try {
      children = readFileSync(`/proc/${own[0]}/task/${task}/children`, "utf8").trim().split(/\s+/);
    } catch {
      continue; // the thread ended meanwhile
    }
    for (const child of children) {
      if (child === "") continue;
      const levels = nsPids(Number(child));
      if (levels === undefined || levels.length <= depth || levels[levels.length - 1] !== 1) continue;
      if (commandOf(Number(child)) === "bwrap") found.push(levels[depth - 1]!);
    }
  }
  return found;
}

function commandOf(pid: number): string | undefined {
  try {
    return readFileSync(`/proc/${pid}/comm`, "utf8").trim();
  } catch {
    return undefined;
  }
}

/** Orphans killed but not yet collected; retried by the next sweep. */
const dying = new Set<number>();

/** How long one sweep waits for its orphans to die before leaving them to the next sweep. */
const sweepPatienceMs = 5000;

/**
 * Kills and collects every orphaned jail process this app has adopted. Called
 * once a run's spawned process has exited, so none of its processes remain
 * when the run's result is reported; other runs' live processes are never
 * touched (their parents are alive, so they are not our children).
 */
export async function reapStrayJails(): Promise<void> {
  if (subreaperState?.ok !== true && process.pid !== 1) return; // orphans go to init, not to us
  for (const pid of adoptedJailInits()) {
    if (dying.has(pid)) continue;
    try {
      process.kill(pid, "SIGKILL");
    } catch {
      // Already dead (a zombie): collected below.
    }
    dying.add(pid);
  }
  if (dying.size === 0) return;
  const { waitpid } = openLibc();
  const status = new Int32Array(1);
  const until = performance.now() + sweepPatienceMs;
  for (let pause = 1; ; pause = Math.min(pause * 2, 50)) {
    for (const pid of dying) {
      // pid: collected now; -1 (ECHILD): collected already; 0: still dying.
      if (waitpid(pid, ptr(status), WNOHANG) !== 0) dying.delete(pid);
    }
    if (dying.size === 0 || performance.now() > until) return;
    await new Promise((resolve) => setTimeout(resolve, pause));
  }
}
