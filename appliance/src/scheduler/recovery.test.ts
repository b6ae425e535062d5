import { describe, expect, it } from "vitest";
import type { SubmissionRecord } from "../storage/submissions.ts";
import { interruptedError, maxRunAttempts, planRecovery } from "./recovery.ts";

const record = (sequence: number, status: SubmissionRecord["status"], attempts = 0): SubmissionRecord => ({
  uuid: `00000000-0000-4000-8000-${String(sequence).padStart(12, "0")}`,
  timestamp: new Date(1_700_000_000_000 + sequence).toISOString(),
  sequence,
  language: "python",
  user_id: "a".repeat(32),
  status,
  attempts,
});

describe("planRecovery", () => {
  it("re-queues pending in acceptance order with an interrupted run first, once", () => {
    const records = [record(3, "pending"), record(1, "completed", 1), record(2, "running", 1), record(4, "pending"), record(0, "cancelled")];
    const plan = planRecovery(records, new Date());
    expect(plan.pending).toEqual([records[2]!.uuid, records[0]!.uuid, records[3]!.uuid]);
    expect(plan.updates).toEqual([{ uuid: records[2]!.uuid, patch: { status: "pending" } }]);
  });

  it("fails a run interrupted on its last attempt", () => {
    const crashed = record(5, "running", maxRunAttempts);
    const plan = planRecovery([crashed], new Date("2026-01-01T00:00:00Z"));
    expect(plan.pending).toEqual([]);
    expect(plan.updates[0]!.patch).toMatchObject({ status: "failed", reason: "interrupted", finishedAt: "2026-01-01T00:00:00.000Z", result: { status: "failed", error: interruptedError } });
  });
});
