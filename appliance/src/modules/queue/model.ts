/** Schema of `GET /api/queue` and of each `queue` event on `/api/queue/events`. */
import { Type as t, type Static } from "@sinclair/typebox";
import { SubmissionViewSchema } from "../submissions/model.ts";

export const TreeStatusSchema = t.Object({
  /** False while the LED daemon is unreachable: programs still run, the tree stays dark. */
  online: t.Boolean(),
  ledCount: t.Integer({ minimum: 1 }),
});
export type TreeStatus = Static<typeof TreeStatusSchema>;

export const QueueViewSchema = t.Object({
  now: t.String(),
  /** While paused nothing starts, and pending submissions have no `etaSeconds` (null). */
  paused: t.Boolean(),
  slotSeconds: t.Integer(),
  /** ETAs assume every program uses its whole slot: they are upper bounds. */
  etaIsWorstCase: t.Boolean(),
  /** Seconds until a program sent now would start, at the latest; null while paused. */
  nextStartSeconds: t.Union([t.Integer({ minimum: 0 }), t.Null()]),
  tree: TreeStatusSchema,
  /** False when uploads are refused because the sandbox is not usable on this machine. */
  acceptingUploads: t.Boolean(),
  running: t.Union([SubmissionViewSchema, t.Null()]),
  pending: t.Array(SubmissionViewSchema),
  /** Finished submissions, newest first, bounded by recentInView. */
  recent: t.Array(SubmissionViewSchema),
  /** True while the built-in show runs (the queue is empty). */
  idleShow: t.Boolean(),
  /**
   * A finished program whose last frame the tree still shows (its turn lasts at least minShowSeconds,
   * and idleAfterSeconds more while nobody waits); null when none.
   */
  lastFrame: t.Union([
    t.Object({
      uuid: t.String(),
      shortId: t.String(),
      /** True only for its owner: the page says "showing your last frame". */
      mine: t.Boolean(),
      /** Seconds until the next program or the idle show takes over, as things stand now. */
      remainingSeconds: t.Integer({ minimum: 0 }),
    }),
    t.Null(),
  ]),
});
export type QueueView = Static<typeof QueueViewSchema>;

export const LayoutSchema = t.Object({
  ledCount: t.Integer({ minimum: 1 }),
  positions: t.Array(t.Tuple([t.Number(), t.Number(), t.Number()])),
});

export const HealthSchema = t.Object({
  ok: t.Boolean(),
  tree: t.Object({ online: t.Boolean() }),
  sandbox: t.Object({ ready: t.Boolean(), reason: t.Optional(t.String()) }),
});
