/** Schemas of the preview API (API.md, "Preview"). The editor imports these types. */
import { Type as t, type Static } from "@sinclair/typebox";

export const previewStatuses = ["running", "completed", "failed", "timeout", "rejected"] as const;
export type PreviewStatus = (typeof previewStatuses)[number];

export const PreviewStartedSchema = t.Object({ id: t.String() });
export type PreviewStarted = Static<typeof PreviewStartedSchema>;

export const PreviewViewSchema = t.Object({
  id: t.String(),
  /** running; completed: the program ended by itself; timeout: stopped at previewSeconds (normal for an
   * animation); failed: it raised, crashed or broke a limit; rejected: the upload check refused it. */
  status: t.Union(previewStatuses.map((status) => t.Literal(status))),
  /** Frames the program showed so far (validated, rate- and flash-limited like a tree run's). */
  frames: t.Integer({ minimum: 0 }),
  /** What went wrong, for the visitor: the check's message or the traceback's last line (without "line N: "). */
  error: t.Union([t.String(), t.Null()]),
  /** Where, 1-based: the check's position, or the line of the visitor's code the traceback ends in. */
  line: t.Union([t.Integer({ minimum: 1 }), t.Null()]),
  /** Known for check errors only; a runtime error names a line. */
  column: t.Union([t.Integer({ minimum: 1 }), t.Null()]),
  /** Bounded tails of the program's output (stderr holds the traceback). */
  stdout: t.String(),
  stderr: t.String(),
  /** Longest the preview runs, in seconds (previewSeconds). */
  limitSeconds: t.Integer({ minimum: 1 }),
});
export type PreviewView = Static<typeof PreviewViewSchema>;

export const PreviewParamsSchema = t.Object({ id: t.String({ maxLength: 64 }) });
