/**
 * Schemas of `POST /api/check` (API.md). The editor imports these types.
 */
import { Type as t, type Static } from "@sinclair/typebox";
import { CheckProblemSchema, maxProblems } from "../../checker/verdict.ts";
import { UploadJsonSchema } from "../submissions/model.ts";

/** The body: exactly the JSON form of `POST /upload`, `{"code": "..."}` (checked by readUploadedSource). */
export const CheckRequestSchema = UploadJsonSchema;
export type CheckRequest = Static<typeof CheckRequestSchema>;

/**
 * One shape for both answers, so the editor reads the same fields every time:
 * accepted → `{ok: true, error: null, line: null, column: null, problems: []}`;
 * refused → `error` ("line N: ..."), `line`, `column` of the first problem and
 * `problems`, every problem found in source order (at most `maxProblems`), each
 * `{line, column, message}` with the message not starting with "line N:".
 */
export const CheckResultSchema = t.Union([
  t.Object({
    ok: t.Literal(true),
    error: t.Null(),
    line: t.Null(),
    column: t.Null(),
    problems: t.Array(CheckProblemSchema, { maxItems: 0 }),
  }),
  t.Object({
    ok: t.Literal(false),
    error: t.String({ minLength: 1 }),
    line: t.Integer({ minimum: 1 }),
    column: t.Integer({ minimum: 1 }),
    problems: t.Array(CheckProblemSchema, { minItems: 1, maxItems: maxProblems }),
  }),
]);
export type CheckResult = Static<typeof CheckResultSchema>;
