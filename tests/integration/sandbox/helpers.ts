/**
 * Shared by the sandbox's real-process tests: a policy with a uid of its own
 * (when the tests run as root), so "nothing of the sandbox uid survives" can be
 * checked exactly even while other suites run sandboxes in parallel.
 */
import { readdirSync, readFileSync } from "node:fs";
import { policyWith, type SandboxPolicy } from "../../../appliance/src/sandbox/policy.ts";
import type { SandboxLimits } from "../../../appliance/src/sandbox/limits.ts";

export const isRoot = process.getuid?.() === 0;

/** A fresh uid in a range no system account uses. */
export function uniqueUid(): number {
  return 3_000_000 + Math.floor(Math.random() * 1_000_000);
}

export function testPolicy(limits: Partial<SandboxLimits> = {}): SandboxPolicy {
  const uid = uniqueUid();
  return policyWith({ sandboxUid: uid, sandboxGid: uid, limits });
}

/** Pids of live processes whose real uid is `uid`. */
export function processesOfUid(uid: number): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const status = readFileSync(`/proc/${entry}/status`, "utf8");
      const match = /^Uid:\s+(\d+)/m.exec(status);
      if (match !== null && Number(match[1]) === uid) pids.push(Number(entry));
    } catch {
      // Gone while we looked.
    }
  }
  return pids;
}

/** Waits (bounded) until no process of `uid` is left; returns the survivors, if any. */
export async function survivorsOf(uid: number, patienceMs = 3000): Promise<number[]> {
  const until = Date.now() + patienceMs;
  let pids = processesOfUid(uid);
  while (pids.length > 0 && Date.now() < until) {
    await new Promise((resolve) => setTimeout(resolve, 50));
    pids = processesOfUid(uid);
  }
  return pids;
}

/** pid → start time (clock ticks since boot), for telling a live process from a reused pid. */
function startTime(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return fields[0] === "Z" ? undefined : fields[19];
  } catch {
    return undefined;
  }
}

export interface ProcessMark {
  pid: number;
  started: string;
}

/** Every live descendant of `pid`, marked so a later check is not fooled by pid reuse. */
export function descendantsOf(pid: number): ProcessMark[] {
  const found: ProcessMark[] = [];
  const queue = [pid];
  while (queue.length > 0) {
    const parent = queue.shift()!;
    let children: number[] = [];
    try {
      children = readFileSync(`/proc/${parent}/task/${parent}/children`, "utf8").trim().split(/\s+/).filter(Boolean).map(Number);
    } catch {
      continue;
    }
    for (const child of children) {
      const started = startTime(child);
      if (started !== undefined) found.push({ pid: child, started });
      queue.push(child);
    }
  }
  return found;
}

/** The marked processes still alive (zombies count as gone), after waiting up to `patienceMs`. */
export async function stillAlive(marks: ProcessMark[], patienceMs = 3000): Promise<ProcessMark[]> {
  const until = Date.now() + patienceMs;
  let alive = marks.filter((mark) => startTime(mark.pid) === mark.started);
  while (alive.length > 0 && Date.now() < until) {
    await new Promise((resolve) => setTimeout(resolve, 50));
    alive = alive.filter((mark) => startTime(mark.pid) === mark.started);
  }
  return alive;
}

/**
 * A prepared start that goes as soon as the sandbox says it is ready, as the appliance's prepared
 * starts do: the time limit then counts the program's own time, not a loaded machine's slow start.
 */
export function goWhenReady(): { go: Promise<void>; onReady: () => void } {
  const { promise, resolve } = Promise.withResolvers<void>();
  return { go: promise, onReady: resolve };
}
