/** Run = POST /upload with the program as JSON; the answer decides where the visitor goes next. */
import type { ApiError, UploadAccepted } from "../shared/api-types.ts";
import { postJson } from "../shared/http.ts";
import { formatDuration } from "../shared/format.ts";

export type RunOutcome = { kind: "queued"; accepted: UploadAccepted } | { kind: "check-failed"; error: ApiError & { line: number; column: number } } | { kind: "refused"; message: string };

export async function submitProgram(code: string): Promise<RunOutcome> {
  if (code.trim() === "") return { kind: "refused", message: "The program is empty. Write something, or pick an example." };
  const result = await postJson<UploadAccepted>("/upload", { code });
  if (result.ok) return { kind: "queued", accepted: result.data };
  const error = result.error;
  if (error.line !== undefined) return { kind: "check-failed", error: { ...error, line: error.line, column: error.column ?? 1 } };
  if (result.status === 429 && error.retryAfterSeconds !== undefined && !/\d/.test(error.message)) {
    return { kind: "refused", message: `${error.message} Try again in ${formatDuration(error.retryAfterSeconds)}.` };
  }
  return { kind: "refused", message: error.message };
}
