/**
 * What the upload-time check answers. `line` and `column` are 1-based, the
 * column counted in characters, as an editor shows them; `error` starts with
 * "line N:" and says what to do instead.
 */
import { Type as t, type Static } from "@sinclair/typebox";

export const CheckVerdictSchema = t.Union([
  t.Object({ ok: t.Literal(true) }, { additionalProperties: false }),
  t.Object(
    {
      ok: t.Literal(false),
      error: t.String({ minLength: 1 }),
      line: t.Integer({ minimum: 1 }),
      column: t.Integer({ minimum: 1 }),
    },
    { additionalProperties: false },
  ),
]);
export type CheckVerdict = Static<typeof CheckVerdictSchema>;
export type CheckRejection = Extract<CheckVerdict, { ok: false }>;

export const accepted: CheckVerdict = { ok: true };

export function rejection(line: number, column: number, message: string): CheckRejection {
  return { ok: false, error: `line ${line}: ${message}`, line, column };
}
