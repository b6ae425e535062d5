/**
 * No orphan, no hang, whatever the timing: runs stopped at random instants of
 * their start-up, and the app itself SIGKILLed mid-run, leave no process
 * behind, and every run's promise settles. Both as root (bwrap started as the sandbox uid) and
 * as an unprivileged uid (bwrap alone, the app container's chain). Only our
 * own processes are counted: a cgroup of the test's own as root, or a uid or a
 * pid namespace of its own, never "every process of uid 65534".
 */
import { chmodSync, chownSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, test } from "vitest";
import { descendantsOf, isRoot, stillAlive, uniqueUid } from "./helpers.ts";
import { listeningPrefix } from "../../../appliance/src/cli/serve.ts";
import { instanceCgroupName } from "../../../appliance/src/sandbox/instance-cgroup.ts";
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
// The unprivileged apps' homes are in here: they must be able to reach them.
chmodSync(scratch, 0o755);
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

interface EarlyKillReport {
  settled: number;
  hung: number;
  statuses: Record<string, number>;
  /** Runs that could not start the sandbox at all (they would prove nothing). */
  unavailable: number;
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
  test.runIf(isRoot)(`as root (bwrap started as the sandbox uid): ${runs} kills, every run settles, nothing of the sandbox uid is left`, async () => {
    // A fresh sandbox uid, ours alone.
    const report = await earlyKills([], runs, uniqueUid());
    expect(report).toMatchObject({ settled: runs, hung: 0, unavailable: 0, leftovers: [] });
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
    expect(report).toMatchObject({ settled: runs, hung: 0, unavailable: 0, leftovers: [] });
  }, 240_000);
});

/**
 * `tree-app run` (the real CLI) on a program that shows one frame and then
 * spins forever; SIGKILLed once the frame is out, so the visitor's code is
 * surely running. The sandbox must die with it: nobody is left to enforce the
 * time limit.
 */
async function killAppMidRun(
  dir: string,
  launch: (argv: string[]) => string[],
  census: (appPid: number) => () => Promise<number[]>,
  round: number,
): Promise<number[]> {
  const program = join(dir, `spin-${round}.py`);
  const frames = join(dir, `frames-${round}.jsonl`);
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
    ...(isRoot ? [{ name: "as root (bwrap started as the sandbox uid)", unprivileged: false }] : []),
    { name: "as an unprivileged uid (bwrap alone)", unprivileged: true },
  ];
  for (const { name, unprivileged } of variants) {
    test(`${name}: ${appKills} times, the sandbox dies with it every time`, async () => {
      // The app writes its frames file here, so the unprivileged app must own it.
      const home = mkdtempSync(join(scratch, "home-"));
      const uid = uniqueUid();
      if (unprivileged && isRoot) chownSync(home, uid, uid);
      const asUser = (argv: string[]) => (unprivileged && isRoot ? asFreshUid(uid, home, argv) : argv);
      for (let round = 0; round < appKills; round++) {
        const group = TestCgroup.create("tree-lifecycle-test");
        try {
          const survivors = await killAppMidRun(
            home,
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

/** `tree-app serve` on `dataDir` inside `group`, until it prints that it listens; its log so far. */
async function startServe(group: TestCgroup, dataDir: string): Promise<{ app: ReturnType<typeof Bun.spawn>; log: string }> {
  const app = Bun.spawn(
    group.wrap([process.execPath, treeApp, "serve", "--port", "0", "--host", "127.0.0.1", "--data-dir", dataDir, "--gpio-socket", join(dataDir, "no-daemon.sock")]),
    { cwd: repo, stdout: "pipe", stderr: "pipe" },
  );
  const reader = (app.stdout as ReadableStream<Uint8Array>).getReader();
  let log = "";
  const until = Date.now() + 30_000;
  while (!log.includes(listeningPrefix) && Date.now() < until) {
    const next = await Promise.race([reader.read(), new Promise<undefined>((resolve) => setTimeout(resolve, until - Date.now()))]);
    if (next === undefined || next.done) break;
    log += new TextDecoder().decode(next.value);
  }
  reader.releaseLock();
  return { app, log };
}

describe("a new tree-app serve clears what an earlier one left", () => {
  // The cgroup tree is writable as root here; in the container every process dies with the app instead.
  test.runIf(isRoot)("a process left in the instance's cgroup by a SIGKILLed serve is killed when the next one starts on the same data dir", async () => {
    const group = TestCgroup.create("tree-lifecycle-serve");
    expect(group).toBeDefined();
    const dataDir = mkdtempSync(join(scratch, "data-"));
    let leftover: ReturnType<typeof Bun.spawn> | undefined;
    try {
      const first = await startServe(group!, dataDir);
      expect(first.log).toContain(listeningPrefix);
      const instanceDir = join(group!.path, instanceCgroupName(dataDir));
      expect(readFileSync(join(instanceDir, "cgroup.procs"), "utf8").trim().split("\n")).toContain(String(first.app.pid));
      // What a kill at an unlucky instant of a run's start-up would leave: a process of the
      // instance that nothing ties to the app any more.
      leftover = Bun.spawn(["sleep", "600"]);
      writeFileSync(join(instanceDir, "cgroup.procs"), String(leftover.pid));
      first.app.kill("SIGKILL");
      await first.app.exited;
      expect(leftover.exitCode).toBeNull();

      const second = await startServe(group!, dataDir);
      try {
        expect(second.log).toContain(`killed 1 processes an earlier instance on ${dataDir} left running`);
        expect(await leftover.exited).toBe(137);
      } finally {
        second.app.kill("SIGTERM");
        await second.app.exited;
      }
    } finally {
      leftover?.kill("SIGKILL");
      await group!.remove();
    }
  }, 120_000);
});
