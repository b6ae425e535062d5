/**
 * Counting only our own runs' processes, while other suites (and other
 * checkouts on the same machine) run sandboxes of the same uid. As root a test
 * puts what it starts into a cgroup v2 directory of its own: every descendant
 * stays a member whatever happens to its parent, and exited processes leave it
 * (zombies are not members), so "nothing survived" is exact. cgroup.kill
 * clears it afterwards. Without root (no cgroup to write), tests fall back to
 * a fresh uid or marked descendants.
 */
import { mkdirSync, readFileSync, rmdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";

/** Where cgroup v2 is mounted (/sys/fs/cgroup, or /sys/fs/cgroup/unified on hybrid hosts). */
function cgroup2Mount(): string | undefined {
  try {
    for (const line of readFileSync("/proc/self/mountinfo", "utf8").split("\n")) {
      const [before, after] = line.split(" - ");
      if (after?.startsWith("cgroup2 ") === true) return before!.split(" ")[4];
    }
  } catch {
    // No /proc.
  }
  return undefined;
}

export class TestCgroup {
  private constructor(readonly path: string) {}

  /** A fresh cgroup beside our own, or undefined where we may not create one. */
  static create(name: string): TestCgroup | undefined {
    const mount = cgroup2Mount();
    if (mount === undefined) return undefined;
    const own = /^0::(.*)$/m.exec(readFileSync("/proc/self/cgroup", "utf8"))?.[1];
    if (own === undefined) return undefined;
    const path = join(mount, own, `${name}-${process.pid}-${Math.floor(Math.random() * 1e9)}`);
    try {
      mkdirSync(path);
      return new TestCgroup(path);
    } catch {
      return undefined;
    }
  }

  /** argv that joins this cgroup first, then execs `argv` (so nothing it starts escapes the count). */
  wrap(argv: string[]): string[] {
    return ["/bin/sh", "-c", 'echo $$ > "$0/cgroup.procs" && shift && exec "$@"', this.path, "--", ...argv];
  }

  /** Live members (pids). */
  members(): number[] {
    try {
      return readFileSync(join(this.path, "cgroup.procs"), "utf8").trim().split(/\s+/).filter(Boolean).map(Number);
    } catch {
      return [];
    }
  }

  /** Waits (bounded) until the cgroup is empty; returns the members left, if any. */
  async survivors(patienceMs = 3000): Promise<number[]> {
    const until = Date.now() + patienceMs;
    let left = this.members();
    while (left.length > 0 && Date.now() < until) {
      await new Promise((resolve) => setTimeout(resolve, 25));
      left = this.members();
    }
    return left;
  }

  /** Kills whatever is left and removes the directory. */
  async remove(): Promise<void> {
    try {
      writeFileSync(join(this.path, "cgroup.kill"), "1");
    } catch {
      // Kernel without cgroup.kill: nothing should be left anyway.
    }
    for (let tries = 0; tries < 100; tries++) {
      try {
        rmdirSync(this.path);
        return;
      } catch {
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    }
  }
}
