/**
 * What the upload-time check answers. `line` and `column` are 1-based, the
 * column counted in characters, as an editor shows them; `error` starts with
 * "line N:" and says what to do instead. A rejection names its first problem
 * in `error`/`line`/`column` and lists every problem found (that one first, in
 * source order, at most `maxProblems`) in `problems`, each message without the
 * "line N:" prefix.
 */
import { Type as t, type Static } from "@sinclair/typebox";

/** Problems listed per program at most (upload-check.py's MAX_PROBLEMS); the rest show once these are fixed. */
export const maxProblems = 25;

export const CheckProblemSchema = t.Object(
  {
    line: t.Integer({ minimum: 1 }),
    column: t.Integer({ minimum: 1 }),
    message: t.String({ minLength: 1 }),
  },
  { additionalProperties: false },
);
export type CheckProblem = Static<typeof CheckProblemSchema>;

export const CheckVerdictSchema = t.Union([
  t.Object({ ok: t.Literal(true) }, { additionalProperties: false }),
  t.Object(
    {
      ok: t.Literal(false),
      error: t.String({ minLength: 1 }),
      line: t.Integer({ minimum: 1 }),
      column: t.Integer({ minimum: 1 }),
      problems: t.Array(CheckProblemSchema, { minItems: 1, maxItems: maxProblems }),
    },
    { additionalProperties: false },
  ),
]);
export type CheckVerdict = Static<typeof CheckVerdictSchema>;
export type CheckRejection = Extract<CheckVerdict, { ok: false }>;

export const accepted: CheckVerdict = { ok: true };

/** A rejection with one problem. */
export function rejection(line: number, column: number, message: string): CheckRejection {
  return { ok: false, error: `line ${line}: ${message}`, line, column, problems: [{ line, column, message }] };
}

/** A rejection listing several problems; the first (in source order) is the headline. */
export function rejectionOf(problems: readonly CheckProblem[]): CheckRejection {
  const listed = problems.slice(0, maxProblems);
  const first = listed[0]!;
  return { ok: false, error: `line ${first.line}: ${first.message}`, line: first.line, column: first.column, problems: listed };
}
