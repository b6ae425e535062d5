/**
 * Why a submission finished, in words its visitor can read. The status stays
 * coarse (`completed`, `failed`, `cancelled`); the reason tells the story:
 *
 * | reason        | status    | when                                                         |
 * |---------------|-----------|--------------------------------------------------------------|
 * | `ran_to_end`  | completed | the program ended by itself                                  |
 * | `full_slot`   | completed | it was still running when its turn was over (a success)      |
 * | `error`       | failed    | it raised, broke a limit or was refused when it was run      |
 * | `fault`       | failed    | the appliance could not run it (not the visitor's fault)     |
 * | `interrupted` | failed    | the tree restarted twice while it ran                        |
 * | `skipped`     | cancelled | the operator skipped it while it ran                         |
 * | `removed`     | cancelled | the operator removed it (waiting or running), or blocked it  |
 * | `cancelled`   | cancelled | its owner cancelled it while it waited                       |
 *
 * Records written before reasons were kept get theirs derived from status and result.
 */
import { Type as t, type Static } from "@sinclair/typebox";
import type { RunResult } from "../sandbox/run-result.ts";

export const finishReasons = ["ran_to_end", "full_slot", "error", "fault", "interrupted", "skipped", "removed", "cancelled"] as const;
export type FinishReason = (typeof finishReasons)[number];
export const FinishReasonSchema = t.Union(finishReasons.map((reason) => t.Literal(reason)));

/** The error text of an operator's skip; older records said it in `result.error` with status failed. */
export const skippedError = "skipped by the operator";
export const removedError = "removed by the operator";
export const interruptedError = "interrupted: the tree restarted twice while this program ran";
export const internalRunError = "the tree could not run this program (a fault in the appliance, not in your code); please submit it again";

export const ReasonViewSchema = t.Object({
  code: FinishReasonSchema,
  /** One sentence for the visitor. */
  text: t.String(),
  /** The program's line the error came from (reason `error` only, when known). */
  line: t.Optional(t.Integer({ minimum: 1 })),
});
export type ReasonView = Static<typeof ReasonViewSchema>;

/** The status that goes with a reason. */
export function statusOf(reason: FinishReason): "completed" | "failed" | "cancelled" {
  switch (reason) {
    case "ran_to_end":
    case "full_slot":
      return "completed";
    case "error":
    case "fault":
    case "interrupted":
      return "failed";
    case "skipped":
    case "removed":
    case "cancelled":
      return "cancelled";
  }
}

/** The reason of a run that was not aborted, from the runner's result. */
export function reasonOfResult(result: RunResult): FinishReason {
  if (result.status === "completed") return "ran_to_end";
  if (result.status === "timeout") return "full_slot";
  return result.error === internalRunError ? "fault" : "error";
}

/** The runner reports a visitor's error as `line N: message` (sandbox/runner.ts). */
export function errorLine(error: string | undefined): number | undefined {
  const match = /^line ([1-9]\d*): /.exec(error ?? "");
  return match === null ? undefined : Number(match[1]);
}

interface FinishedRecord {
  status: string;
  reason?: FinishReason;
  result?: RunResult;
}

/** The stored reason, or one derived for a record from before reasons were kept; null while not finished. */
export function reasonOf(record: FinishedRecord): FinishReason | null {
  if (record.reason !== undefined) return record.reason;
  switch (record.status) {
    case "completed":
      return record.result?.status === "timeout" ? "full_slot" : "ran_to_end";
    case "cancelled":
      return "cancelled";
    case "failed":
      if (record.result?.error === skippedError) return "skipped";
      if (record.result?.error === interruptedError) return "interrupted";
      return record.result === undefined ? "error" : reasonOfResult(record.result);
    default:
      return null;
  }
}

const secondsText = (ms: number) => `${Math.max(1, Math.round(ms / 1000))} s`;

/** What a visitor reads (`mine`: the submission is theirs); null while it has not finished. */
export function reasonView(record: FinishedRecord, mine: boolean): ReasonView | null {
  const code = reasonOf(record);
  if (code === null) return null;
  switch (code) {
    case "ran_to_end":
      return { code, text: "Ran to the end." };
    case "full_slot":
      return { code, text: `Ran its full ${secondsText(record.result?.durationMs ?? 0)} turn.` };
    case "error": {
      const line = errorLine(record.result?.error);
      return line === undefined ? { code, text: "Stopped by an error." } : { code, text: `Stopped by an error on line ${line}.`, line };
    }
    case "fault":
      return { code, text: "The tree could not run it (a fault in the tree, not in the program)." };
    case "interrupted":
      return { code, text: "Interrupted: the tree restarted while it ran." };
    case "skipped":
      return { code, text: "Skipped by the operator." };
    case "removed":
      return { code, text: "Removed by the operator." };
    case "cancelled":
      return { code, text: mine ? "Cancelled by you." : "Cancelled by its owner." };
  }
}
