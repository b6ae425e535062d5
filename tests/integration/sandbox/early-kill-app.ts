/**
 * An app that stops runs at random instants in their first 50 ms, with a few
 * runs in flight at once, and reports how they ended. Run as a child process
 * (so it can be given a uid of its own):
 *   bun early-kill-app.ts RUNS CONCURRENCY [SANDBOX_UID]
 * SANDBOX_UID: the uid the jail switches to when this runs as root; otherwise
 * the sandbox keeps this process's uid. Prints one JSON line:
 * { settled, hung, statuses: { status: count }, leftovers: pids of the sandbox uid still there }.
 */
import { readdirSync, readFileSync } from "node:fs";
import { defaultPolicy, policyWith } from "../../../appliance/src/sandbox/policy.ts";
import { runProgram } from "../../../appliance/src/sandbox/runner.ts";

const [runsArg, concurrencyArg, sandboxUidArg] = process.argv.slice(2).map(Number);
if (runsArg === undefined || concurrencyArg === undefined) throw new Error("usage: early-kill-app.ts RUNS CONCURRENCY [SANDBOX_UID]");
const runs = runsArg;
const concurrency = concurrencyArg;
const sandboxUid = sandboxUidArg ?? process.getuid!();
const policy = sandboxUidArg === undefined ? defaultPolicy : policyWith({ sandboxUid, sandboxGid: sandboxUid });

/** Long enough for any run to settle on two busy cores; a run still pending then counts as hung. */
const settlePatienceMs = 20_000;

const statuses: Record<string, number> = {};
let settled = 0;
let hung = 0;

async function oneRun(index: number): Promise<void> {
  const instantMs = Math.random() * 50;
  const controller = new AbortController();
  // Half the runs are cancelled (an upload preempting the idle show, a skip,
  // shutdown), half hit a tiny time limit (tree-app run --time-limit 0.001).
  const byAbort = index % 2 === 0;
  const abortTimer = byAbort ? setTimeout(() => controller.abort(), instantMs) : undefined;
  const pending = runProgram({
    source: "while True:\n    pass\n",
    ledCount: 3,
    timeLimitMs: byAbort ? 60_000 : Math.max(instantMs, 0.001),
    // Every fourth run is checked first, so some instants land while the check runs.
    skipCheck: index % 4 !== 1,
    policy,
    signal: controller.signal,
  });
  let timer: ReturnType<typeof setTimeout> | undefined;
  const outcome = await Promise.race([
    pending.then((result) => result.status),
    new Promise<"hung">((resolve) => (timer = setTimeout(resolve, settlePatienceMs, "hung"))),
  ]);
  clearTimeout(timer);
  clearTimeout(abortTimer);
  if (outcome === "hung") hung += 1;
  else settled += 1;
  statuses[outcome] = (statuses[outcome] ?? 0) + 1;
}

let next = 0;
await Promise.all(Array.from({ length: concurrency }, async () => {
  while (next < runs) await oneRun(next++);
}));

/** Processes of the sandbox uid other than this one, zombies included (the app collects its own). */
function leftovers(): number[] {
  const found: number[] = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    try {
      const uid = /^Uid:\s+(\d+)/m.exec(readFileSync(`/proc/${entry}/status`, "utf8"))?.[1];
      if (Number(uid) === sandboxUid) found.push(Number(entry));
    } catch {
      // Gone while we looked.
    }
  }
  return found;
}

process.stdout.write(`${JSON.stringify({ settled, hung, statuses, leftovers: leftovers() })}\n`);
process.exit(0);
