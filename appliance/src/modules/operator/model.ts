/**
 * What the operator view reads beyond the queue: one submission whole (its code
 * and how it ended), the LED daemon and the host. Shown as text on the page,
 * never as HTML: every string here may come from a visitor.
 */
import { Type as t, type Static } from "@sinclair/typebox";
import { DaemonStateSchema } from "../../daemon-client/daemon-state.ts";
import { HostStatusViewSchema } from "../../host-status/reader.ts";
import { ReasonViewSchema, reasonView } from "../../storage/finish-reason.ts";
import { submissionStatuses, type SubmissionRecord } from "../../storage/submissions.ts";

/** The part of the operator state that is about the appliance, not the queue. */
export const ApplianceHealthSchema = t.Object({
  daemon: DaemonStateSchema,
  host: HostStatusViewSchema,
});

/** `GET /api/operator/submissions/:uuid`. */
export const SubmissionDetailSchema = t.Object({
  uuid: t.String(),
  userId: t.String(),
  ip: t.Union([t.String(), t.Null()]),
  status: t.Union(submissionStatuses.map((status) => t.Literal(status))),
  timestamp: t.String(),
  startedAt: t.Union([t.String(), t.Null()]),
  finishedAt: t.Union([t.String(), t.Null()]),
  /** Why it finished, as the operator reads it; null while it has not. */
  reason: t.Union([ReasonViewSchema, t.Null()]),
  /** The program as uploaded. */
  code: t.String(),
  /** How its run went; null before it ran. */
  result: t.Union([
    t.Object({
      status: t.String(),
      durationMs: t.Integer(),
      frames: t.Integer(),
      error: t.Union([t.String(), t.Null()]),
      /** Bounded tails of its output. */
      stdout: t.String(),
      stderr: t.String(),
      note: t.Union([t.String(), t.Null()]),
    }),
    t.Null(),
  ]),
});
export type SubmissionDetail = Static<typeof SubmissionDetailSchema>;

export function submissionDetail(record: SubmissionRecord, code: string): SubmissionDetail {
  const result = record.result;
  return {
    uuid: record.uuid,
    userId: record.user_id,
    ip: record.ip ?? null,
    status: record.status,
    timestamp: record.timestamp,
    startedAt: record.startedAt ?? null,
    finishedAt: record.finishedAt ?? null,
    reason: reasonView(record, false),
    code,
    result:
      result === undefined
        ? null
        : { status: result.status, durationMs: result.durationMs, frames: result.frames, error: result.error ?? null, stdout: result.stdout, stderr: result.stderr, note: result.note ?? null },
  };
}
