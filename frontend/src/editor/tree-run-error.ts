/**
 * The error of this browser's last run on the tree, if that run stopped with one and the editor
 * still holds the program that ran: so the visitor coming back from the queue sees it at its line.
 */
import type { SubmissionView } from "../shared/api-types.ts";
import { requestJson } from "../shared/http.ts";
import { forgetRun, lastRun, runtimeErrorLine } from "./last-run.ts";

export interface TreeRunError {
  uuid: string;
  line: number;
  message: string;
  traceback: string;
}

export async function treeRunError(currentCode: () => string): Promise<TreeRunError | undefined> {
  const run = lastRun();
  if (run === undefined || run.code !== currentCode()) return undefined;
  const answer = await requestJson<SubmissionView>(`/api/submissions/${encodeURIComponent(run.uuid)}`);
  if (!answer.ok) {
    // Gone from the history (or never ours): nothing to show, now or later.
    if (answer.status === 404 || answer.status === 403) forgetRun();
    return undefined;
  }
  const where = runtimeErrorLine(answer.data.result?.error);
  // The visitor may have typed while the answer was on its way.
  if (where === undefined || run.code !== currentCode()) return undefined;
  return { uuid: run.uuid, ...where, traceback: answer.data.result?.stderr ?? "" };
}
