/**
 * A cgroup v2 directory per app instance, so that a new instance can clear
 * whatever an earlier one left running.
 *
 * While the app lives, subreaper.ts ties every run's processes to it. Only if
 * the app itself is killed at an unlucky instant of a run's start-up (before
 * bwrap has armed its parent-death signals) can a sandbox outlive it, adopted
 * by init. `tree-app serve` therefore moves itself, at start-up, into a cgroup
 * named after its data directory: everything it starts from then on is born a
 * member (no race: membership is inherited at fork), and a member stays one
 * whoever adopts it. The next instance on the same data directory finds that
 * cgroup, kills everything in it at once (cgroup.kill, Linux ≥ 5.14) and moves
 * in. Where the cgroup tree is not writable (a container, whose every process
 * dies with the app anyway; an unprivileged user without a delegated cgroup)
 * this is skipped and says why.
 */
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, rmdirSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";

/** Where cgroup v2 is mounted: /sys/fs/cgroup, or /sys/fs/cgroup/unified on hybrid hosts. */
export function cgroup2Mount(mountinfo = readFileSync("/proc/self/mountinfo", "utf8")): string | undefined {
  for (const line of mountinfo.split("\n")) {
    const [before, after] = line.split(" - ");
    if (after?.startsWith("cgroup2 ") === true) return before!.split(" ")[4];
  }
  return undefined;
}

/** This process's cgroup v2 path, relative to the mount ("0::/path" in /proc/self/cgroup). */
function ownCgroup(): string | undefined {
  return /^0::(\/.*)$/m.exec(readFileSync("/proc/self/cgroup", "utf8"))?.[1];
}

/** The directory name for an instance on `dataDir`: the same for every instance on it. */
export function instanceCgroupName(dataDir: string): string {
  return `tree-app-${createHash("sha256").update(resolve(dataDir)).digest("hex").slice(0, 16)}`;
}

/** Members of a cgroup and of every cgroup below it. */
function membersOf(path: string): number[] {
  const pids: number[] = [];
  try {
    pids.push(...readFileSync(join(path, "cgroup.procs"), "utf8").trim().split(/\s+/).filter(Boolean).map(Number));
    for (const entry of readdirSync(path, { withFileTypes: true })) {
      if (entry.isDirectory()) pids.push(...membersOf(join(path, entry.name)));
    }
  } catch {
    // Removed meanwhile.
  }
  return pids;
}

export type InstanceCgroup = { ok: true; path: string; cleared: number } | { ok: false; reason: string };

/** How long the previous instance's processes get to die after cgroup.kill. */
const clearPatienceMs = 3000;

/**
 * Kills what an earlier instance on `dataDir` left and moves this process into
 * the instance's cgroup. `cleared`: how many processes were killed.
 */
export async function claimInstanceCgroup(dataDir: string): Promise<InstanceCgroup> {
  let mount: string | undefined;
  let own: string | undefined;
  try {
    mount = cgroup2Mount();
    own = ownCgroup();
  } catch (error) {
    return { ok: false, reason: `no /proc to find the cgroup in (${(error as Error).message})` };
  }
  if (mount === undefined || own === undefined) return { ok: false, reason: "cgroup v2 is not mounted" };
  const name = instanceCgroupName(dataDir);
  const path = join(mount, own, name);
  const others = () => membersOf(path).filter((pid) => pid !== process.pid);
  let cleared = 0;
  if (existsSync(path)) {
    const left = others();
    cleared = left.length;
    if (cleared > 0) {
      try {
        writeFileSync(join(path, "cgroup.kill"), "1");
      } catch (error) {
        return { ok: false, reason: `cannot kill what an earlier instance left in ${path}: ${(error as Error).message}` };
      }
      const until = performance.now() + clearPatienceMs;
      while (others().length > 0 && performance.now() < until) await new Promise((done) => setTimeout(done, 20));
      if (others().length > 0) return { ok: false, reason: `what an earlier instance left in ${path} did not die` };
    }
  } else {
    try {
      mkdirSync(path);
    } catch (error) {
      return { ok: false, reason: `cannot create ${path} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})` };
    }
  }
  try {
    writeFileSync(join(path, "cgroup.procs"), String(process.pid));
  } catch (error) {
    return { ok: false, reason: `cannot move into ${path} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})` };
  }
  removeEmptySiblings(join(mount, own), name);
  return { ok: true, path, cleared };
}

/**
 * Instances on other data directories that were killed (not stopped) left
 * their directory behind, empty; remove those. rmdir refuses a cgroup that
 * still has members, so a live instance's directory is never removed.
 */
function removeEmptySiblings(parent: string, ours: string): void {
  let entries: string[] = [];
  try {
    entries = readdirSync(parent);
  } catch {
    return;
  }
  for (const entry of entries) {
    if (entry === ours || !/^tree-app-[0-9a-f]{16}$/.test(entry)) continue;
    try {
      rmdirSync(join(parent, entry));
    } catch {
      // In use by a live instance (or its leftovers, which its next start will clear).
    }
  }
}

/**
 * At a clean stop: back to the cgroup we came from, and the instance's
 * directory removed (it can only be removed once empty). A crash leaves it for
 * the next instance, which is the point.
 */
export function releaseInstanceCgroup(claimed: InstanceCgroup): void {
  if (!claimed.ok) return;
  try {
    writeFileSync(join(claimed.path, "..", "cgroup.procs"), String(process.pid));
    rmdirSync(claimed.path);
  } catch {
    // Still busy (a run being torn down) or not ours to remove: the next instance reuses it.
  }
}
