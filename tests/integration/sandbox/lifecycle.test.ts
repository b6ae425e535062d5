/**
 * No orphan, no hang, whatever the timing: runs stopped at random instants of
 * their start-up, and the app itself SIGKILLed mid-run, leave no process
 * behind, and every run's promise settles. Both as root (setpriv → bwrap) and
 * as an unprivileged uid (bwrap alone, the app container's chain). Only our
 * own processes are counted: a cgroup of the test's own as root, or a uid or a
 * pid namespace of its own, never "every process of uid 65534".
 */
import { chownSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, test } from "vitest";
import { descendantsOf, isRoot, stillAlive, uniqueUid } from "./helpers.ts";
import { TestCgroup } from "./process-census.ts";

const repo = join(import.meta.dirname, "../../..");
const earlyKillApp = join(import.meta.dirname, "early-kill-app.ts");
const treeApp = join(repo, "appliance/src/main.ts");

/** Runs `argv` as a fresh unprivileged uid with a HOME/TMPDIR it owns (the repo is world-readable). */
function asFreshUid(uid: number, home: string, argv: string[]): string[] {
  chownSync(home, uid, uid);
  return ["/usr/bin/setpriv", `--reuid=${uid}`, `--regid=${uid}`, "--clear-groups", "--", "/usr/bin/env", `HOME=${home}`, `TMPDIR=${home}`, ...argv];
}

const scratch = mkdtempSync(join(tmpdir(), "sandbox-lifecycle-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

interface EarlyKillReport {
  settled: number;
  hung: number;
  statuses: Record<string, number>;
  leftovers: number[];
}

/** Three runs in flight at once: enough to overlap kills with start-ups, bounded on two busy cores. */
async function earlyKills(launcher: string[], runs: number, sandboxUid?: number): Promise<EarlyKillReport> {
  const child = Bun.spawn([...launcher, process.execPath, earlyKillApp, String(runs), "3", ...(sandboxUid === undefined ? [] : [String(sandboxUid)])], {
    cwd: repo,
    stdout: "pipe",
    stderr: "pipe",
  });
  const [stdout, stderr, code] = await Promise.all([new Response(child.stdout).text(), new Response(child.stderr).text(), child.exited]);
  expect(code, stderr).toBe(0);
  return JSON.parse(stdout.trim().split("\n").at(-1)!) as EarlyKillReport;
}

const runs = 500;

describe("a run stopped at a random instant of its first 50 ms", () => {
  test.runIf(isRoot)(`as root (setpriv → bwrap): ${runs} kills, every run settles, nothing of the sandbox uid is left`, async () => {
    // A fresh sandbox uid, ours alone.
    const report = await earlyKills([], runs, uniqueUid());
    expect(report).toMatchObject({ settled: runs, hung: 0, leftovers: [] });
  }, 240_000);

  test(`as an unprivileged uid (bwrap alone): ${runs} kills, every run settles, nothing is left`, async () => {
    let launcher: string[];
    if (isRoot) {
      const home = mkdtempSync(join(scratch, "home-"));
      launcher = asFreshUid(uniqueUid(), home, []);
    } else {
      // Not root: a pid namespace of its own, where the app's uid owns nothing else.
      launcher = ["unshare", "--user", "--map-user=1000", "--map-group=1000", "--pid", "--fork", "--mount-proc"];
    }
    const report = await earlyKills(launcher, runs);
    expect(report).toMatchObject({ settled: runs, hung: 0, leftovers: [] });
  }, 240_000);
});

/**
 * `tree-app run` (the real CLI) on a program that shows one frame and then
 * spins forever; SIGKILLed once the frame is out, so the visitor's code is
 * surely running. The sandbox must die with it: nobody is left to enforce the
 * time limit.
 */
async function killAppMidRun(launch: (argv: string[]) => string[], census: (appPid: number) => () => Promise<number[]>, round: number): Promise<number[]> {
  const program = join(scratch, `spin-${round}.py`);
  const frames = join(scratch, `frames-${round}.jsonl`);
  writeFileSync(program, "setLEDs([RED] * getLEDCount())\nwhile True:\n    pass\n");
  const app = Bun.spawn(launch([process.execPath, treeApp, "run", program, "--led-count", "3", "--time-limit", "600", "--skip-check", "--frames", frames]), {
    cwd: repo,
    stdio: ["ignore", "ignore", "pipe"],
  });
  try {
    const until = Date.now() + 30_000;
    while (!(existsSync(frames) && statSync(frames).size > 0) && Date.now() < until && app.exitCode === null) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(readFileSync(frames, "utf8"), await (app.exitCode === null ? Promise.resolve("") : new Response(app.stderr).text())).not.toBe("");
    const survivors = census(app.pid);
    app.kill("SIGKILL");
    await app.exited;
    return await survivors();
  } finally {
    app.kill("SIGKILL");
  }
}

const appKills = 20;

describe("if the app is SIGKILLed mid-run", () => {
  const variants: { name: string; unprivileged: boolean }[] = [
    ...(isRoot ? [{ name: "as root (setpriv → bwrap)", unprivileged: false }] : []),
    { name: "as an unprivileged uid (bwrap alone)", unprivileged: true },
  ];
  for (const { name, unprivileged } of variants) {
    test(`${name}: ${appKills} times, the sandbox dies with it every time`, async () => {
      const home = mkdtempSync(join(scratch, "home-"));
      const uid = uniqueUid();
      const asUser = (argv: string[]) => (unprivileged && isRoot ? asFreshUid(uid, home, argv) : argv);
      for (let round = 0; round < appKills; round++) {
        const group = TestCgroup.create("tree-lifecycle-test");
        try {
          const survivors = await killAppMidRun(
            (argv) => (group === undefined ? asUser(argv) : group.wrap(asUser(argv))),
            (appPid) => {
              if (group !== undefined) return () => group.survivors();
              // Without a cgroup (not root): the app's processes, marked while it ran.
              const marks = descendantsOf(appPid);
              return async () => (await stillAlive(marks)).map((mark) => mark.pid);
            },
            round,
          );
          expect(survivors, `round ${round}`).toEqual([]);
        } finally {
          await group?.remove();
        }
      }
    }, 240_000);
  }
});
