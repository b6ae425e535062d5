/**
 * Schemas of the submission API (API.md). The frontend imports these types;
 * nobody writes a second copy.
 */
import { Type as t, type Static } from "@sinclair/typebox";
import { RunResultSchema } from "../../sandbox/run-result.ts";
import { ReasonViewSchema } from "../../storage/finish-reason.ts";
import { submissionStatuses } from "../../storage/submissions.ts";

export const ErrorBodySchema = t.Object({
  code: t.String(),
  message: t.String(),
  line: t.Optional(t.Integer()),
  column: t.Optional(t.Integer()),
  retryAfterSeconds: t.Optional(t.Integer()),
});
export type ErrorBody = Static<typeof ErrorBodySchema>;

export const SubmissionStatusSchema = t.Union(submissionStatuses.map((status) => t.Literal(status)));

export const SubmissionViewSchema = t.Object({
  uuid: t.String(),
  /** First 8 hex digits of the uuid. */
  shortId: t.String(),
  status: SubmissionStatusSchema,
  /** 1 = next; null when not pending. */
  position: t.Union([t.Integer({ minimum: 1 }), t.Null()]),
  /** Seconds until it starts at the latest (pending only; null while the queue is paused). */
  etaSeconds: t.Union([t.Integer({ minimum: 0 }), t.Null()]),
  /** Seconds left in its slot (running only). */
  remainingSeconds: t.Union([t.Integer({ minimum: 0 }), t.Null()]),
  /** True only for the owner of the cookie that asked. */
  mine: t.Boolean(),
  /** Submission time, ISO 8601. */
  timestamp: t.String(),
  language: t.Literal("python"),
  /** Why it finished, in a sentence (storage/finish-reason.ts); null until then. */
  reason: t.Union([ReasonViewSchema, t.Null()]),
  /** The run's result: its owner only, once finished. */
  result: t.Optional(RunResultSchema),
  /** Its owner only: whether it may go in the gallery (it ran), and how it is shared there (modules/gallery/). */
  gallery: t.Optional(t.Object({ shareable: t.Boolean(), shared: t.Boolean(), title: t.Union([t.String(), t.Null()]), hidden: t.Boolean() })),
});
export type SubmissionView = Static<typeof SubmissionViewSchema>;

export const UploadAcceptedSchema = t.Object({
  uuid: t.String(),
  shortId: t.String(),
  status: t.Literal("pending"),
  position: t.Integer({ minimum: 1 }),
  /** null while the queue is paused. */
  etaSeconds: t.Union([t.Integer({ minimum: 0 }), t.Null()]),
  etaIsWorstCase: t.Boolean(),
});
export type UploadAccepted = Static<typeof UploadAcceptedSchema>;

/** `POST /upload` with `Content-Type: application/json`. */
export const UploadJsonSchema = t.Object({ code: t.String() }, { additionalProperties: false });

export const CancelledSchema = t.Object({ cancelled: t.Literal(true) });

export const UuidParamsSchema = t.Object({ uuid: t.String({ maxLength: 64 }) });
