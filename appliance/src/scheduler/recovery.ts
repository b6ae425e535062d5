/**
 * What a restart does with the submissions it finds (pure, so it is tested as a
 * table). Pending ones are re-queued in their original acceptance order. One
 * that was `running` when the process died is retried once, at the head of the
 * queue (it was first in line); if it was already on its second attempt it is
 * marked failed "interrupted", so a program that kills the app cannot make it
 * crash forever.
 */
import { interruptedError } from "../storage/finish-reason.ts";
import type { RunResult, SubmissionRecord } from "../storage/submissions.ts";

/** Attempts a run may be started before an interruption counts as final. */
export const maxRunAttempts = 2;

export { interruptedError };

export interface RecoveryPlan {
  /** uuids to queue, in order. */
  pending: string[];
  /** Records to rewrite before the app starts serving. */
  updates: { uuid: string; patch: Partial<SubmissionRecord> }[];
}

export function planRecovery(records: readonly SubmissionRecord[], now: Date): RecoveryPlan {
  const plan: RecoveryPlan = { pending: [], updates: [] };
  const ordered = [...records].sort((a, b) => a.sequence - b.sequence);
  for (const record of ordered) {
    if (record.status === "pending") plan.pending.push(record.uuid);
    if (record.status !== "running") continue;
    if (record.attempts < maxRunAttempts) {
      plan.pending.push(record.uuid);
      plan.updates.push({ uuid: record.uuid, patch: { status: "pending" } });
    } else {
      const result: RunResult = { status: "failed", frames: 0, dropped: 0, rejected: 0, durationMs: 0, error: interruptedError, stdout: "", stderr: "" };
      plan.updates.push({ uuid: record.uuid, patch: { status: "failed", reason: "interrupted", finishedAt: now.toISOString(), result } });
    }
  }
  // Sorting by sequence already puts an interrupted run ahead of everything accepted after it.
  return plan;
}
