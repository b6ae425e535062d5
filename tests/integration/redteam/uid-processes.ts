/**
 * Which live processes a uid owns, read from /proc, so the suite can prove a
 * run left nothing of its sandbox behind. Zombies are not counted: they run
 * nothing, and bubblewrap leaves its pid-namespace init as one for the host's
 * PID 1 to reap (see FINDINGS.md, F1), which some inits do slowly.
 */
import { readdirSync, readFileSync } from "node:fs";

export function processesOfUid(uid: number): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    let status: string;
    try {
      status = readFileSync(`/proc/${entry}/status`, "utf8");
    } catch {
      continue; // exited while we looked
    }
    const real = /^Uid:\s+(\d+)/m.exec(status)?.[1];
    const zombie = /^State:\s+Z/m.test(status);
    if (real !== undefined && Number(real) === uid && !zombie) pids.push(Number(entry));
  }
  return pids;
}

/**
 * Waits for the uid to own no process. A SIGKILLed tree takes a moment to be
 * reaped, so this polls; whatever is still there after `patienceMs` is returned.
 */
export async function survivorsOf(uid: number, patienceMs: number): Promise<number[]> {
  const deadline = performance.now() + patienceMs;
  for (;;) {
    const left = processesOfUid(uid);
    if (left.length === 0 || performance.now() > deadline) return left;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
