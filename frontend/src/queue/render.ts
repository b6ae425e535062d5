/**
 * Turns the queue's JSON into list items. Everything a visitor wrote or a program printed goes in
 * as text (el() makes text nodes), never as HTML.
 */
import type { QueueView, RunResult, SubmissionView } from "../shared/api-types.ts";
import { el } from "../shared/dom.ts";
import { formatClock, formatRunTime } from "../shared/format.ts";
import { countdown } from "./countdown.ts";
import { galleryLine, type ShareHandlers } from "./share.ts";

export const statusWords: Record<SubmissionView["status"], string> = {
  pending: "waiting",
  running: "on the tree",
  completed: "done",
  failed: "failed",
  cancelled: "cancelled",
};

export interface RenderContext extends ShareHandlers {
  receivedAtMs: number;
  highlight: string | undefined;
  /** The queue is paused: waiting programs have no start time. */
  paused: boolean;
  /** The finished submission whose last frame the tree still shows, if any. */
  lastFrame: QueueView["lastFrame"];
  /** Details the visitor opened stay open across updates. */
  openResults: Set<string>;
  onCancel(submission: SubmissionView): void;
  resultOf(submission: SubmissionView): RunResult | undefined;
}

export function submissionItem(submission: SubmissionView, context: RenderContext): HTMLLIElement {
  const item = el(
    "li",
    {
      class: `submission status-${submission.status}${submission.mine ? " mine" : ""}${submission.uuid === context.highlight ? " highlight" : ""}`,
      "data-uuid": submission.uuid,
      "data-status": submission.status,
      "data-mine": submission.mine,
    },
    el(
      "div",
      { class: "submission-head" },
      submission.position !== null ? el("span", { class: "position", "aria-label": `number ${submission.position}` }, `#${submission.position}`) : null,
      el("code", { class: "short-id" }, submission.shortId),
      submission.mine ? el("span", { class: "badge badge-mine" }, "yours") : el("span", { class: "badge badge-other" }, "someone else"),
      el("span", { class: `status status-${submission.status}`, "data-status-word": "" }, statusWords[submission.status]),
    ),
  );
  const detail = detailLine(submission, context);
  if (detail !== null) item.append(detail);
  if (context.lastFrame !== null && context.lastFrame.uuid === submission.uuid) {
    item.append(
      el(
        "p",
        { class: "detail detail-last-frame", "data-last-frame": "" },
        submission.mine ? "On the tree: showing your last frame, " : "On the tree: showing its last frame, ",
        countdown(context.lastFrame.remainingSeconds, "left", context.receivedAtMs),
      ),
    );
  }
  if (submission.mine && submission.status === "pending") {
    const cancel = el("button", { type: "button", class: "button button-small button-quiet", "data-cancel": "" }, "Cancel");
    cancel.addEventListener("click", () => context.onCancel(submission));
    item.append(cancel);
  }
  const gallery = galleryLine(submission, context);
  if (gallery !== null) item.append(gallery);
  const result = submission.mine ? context.resultOf(submission) : undefined;
  if (result !== undefined) item.append(resultDetails(submission, result, context));
  return item;
}

function detailLine(submission: SubmissionView, context: RenderContext): HTMLElement | null {
  if (submission.status === "pending" && submission.etaSeconds !== null) {
    return el("p", { class: "detail" }, "Starts ", countdown(submission.etaSeconds, "eta", context.receivedAtMs));
  }
  if (submission.status === "pending" && context.paused) {
    return el("p", { class: "detail", "data-paused": "" }, "Paused: starts when the operator resumes the queue.");
  }
  if (submission.reason !== null) return el("p", { class: `detail reason reason-${submission.reason.code}`, "data-reason": submission.reason.code }, submission.reason.text);
  if (submission.status === "running" && submission.remainingSeconds !== null) {
    return el("p", { class: "detail" }, countdown(submission.remainingSeconds, "left", context.receivedAtMs));
  }
  const clock = formatClock(submission.timestamp);
  return clock === "" ? null : el("p", { class: "detail muted" }, `Sent at ${clock}`);
}

/** Stops that are no fault of the program: told as a note, not in a red error box. */
const notAnError = new Set(["full_slot", "skipped", "removed", "cancelled", "ran_to_end"]);

function resultDetails(submission: SubmissionView, result: RunResult, context: RenderContext): HTMLDetailsElement {
  const headline = submission.reason?.text.replace(/\.$/, "") ?? "Finished";
  const details = el(
    "details",
    { class: "result", open: context.openResults.has(submission.uuid) || (submission.uuid === context.highlight && submission.reason?.code === "error") },
    el("summary", {}, `${headline} · ${result.frames} frames · ${formatRunTime(result.durationMs)}`),
  );
  details.addEventListener("toggle", () => {
    if (details.open) context.openResults.add(submission.uuid);
    else context.openResults.delete(submission.uuid);
  });
  if (result.error !== undefined && result.error !== "") {
    if (submission.reason !== null && notAnError.has(submission.reason.code)) details.append(el("p", { class: "muted", "data-stop-note": "" }, result.error));
    else details.append(el("p", { class: "result-label" }, "Error"), el("pre", { class: "output output-error" }, result.error));
  }
  if (result.note !== undefined) details.append(el("p", { class: "result-label" }, "Note"), el("p", { class: "result-note" }, result.note));
  if (result.stdout !== "") details.append(el("p", { class: "result-label" }, "Printed output"), el("pre", { class: "output" }, result.stdout));
  if (result.stderr !== "" && result.stderr !== result.error) details.append(el("p", { class: "result-label" }, "Error output"), el("pre", { class: "output output-error" }, result.stderr));
  if (details.childElementCount === 1) details.append(el("p", { class: "muted" }, "It printed nothing."));
  return details;
}
