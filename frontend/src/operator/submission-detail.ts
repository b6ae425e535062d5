/**
 * One submission whole, for the operator: who sent it, when, its code, and how its run went
 * (output tail, error, why it finished). Everything a visitor wrote or printed goes in as text.
 */
import type { SubmissionDetail } from "../../../appliance/src/modules/operator/model.ts";
import { el, replaceChildren, required } from "../shared/dom.ts";
import { formatClock, formatRunTime } from "../shared/format.ts";
import { requestJson, type ApiResult } from "../shared/http.ts";

const panel = required("[data-submission-detail]");
const heading = required("[data-detail-heading]", panel);
let opener: HTMLElement | null = null;

required("[data-detail-close]", panel).addEventListener("click", () => {
  panel.hidden = true;
  opener?.focus();
});

function block(label: string, text: string, error = false): HTMLElement[] {
  return [el("h3", {}, label), el("pre", { class: error ? "output output-error" : "output", tabindex: 0 }, text)];
}

function show(detail: SubmissionDetail): void {
  heading.textContent = `Submission ${detail.uuid.slice(0, 8)}`;
  const facts: [string, string][] = [
    ["Id", detail.uuid],
    ["Status", detail.status],
    ["User", detail.ip === null ? detail.userId : `${detail.userId} (${detail.ip})`],
    ["Submitted", formatClock(detail.timestamp)],
  ];
  if (detail.startedAt !== null) facts.push(["Started", formatClock(detail.startedAt)]);
  if (detail.finishedAt !== null) facts.push(["Finished", formatClock(detail.finishedAt)]);
  if (detail.reason !== null) facts.push(["Why it finished", detail.reason.text]);
  if (detail.result !== null) facts.push(["Ran for", formatRunTime(detail.result.durationMs)], ["Frames", String(detail.result.frames)]);
  replaceChildren(required("[data-detail-facts]", panel), ...facts.flatMap(([label, value]) => [el("dt", {}, label), el("dd", {}, value)]));
  required("[data-detail-code]", panel).textContent = detail.code;

  const result = detail.result;
  const parts: HTMLElement[] = [];
  if (result === null) parts.push(el("p", { class: "muted" }, detail.status === "running" ? "Running now: its result comes when it ends." : "Not run yet."));
  else {
    if (result.error !== null) parts.push(...block("Error", result.error, true));
    if (result.note !== null) parts.push(el("p", { class: "muted" }, result.note));
    parts.push(...block("Output (last lines)", result.stdout === "" ? "(nothing printed)" : result.stdout));
    if (result.stderr !== "") parts.push(...block("Error output (last lines)", result.stderr, true));
  }
  replaceChildren(required("[data-detail-result]", panel), ...parts);
  panel.hidden = false;
  heading.focus();
  panel.scrollIntoView({ block: "start" });
}

/** Loads and shows one submission; an error is handed back for the page's message line. */
export async function openSubmission(uuid: string, from: HTMLElement): Promise<ApiResult<SubmissionDetail>> {
  opener = from;
  const result = await requestJson<SubmissionDetail>(`/api/operator/submissions/${encodeURIComponent(uuid)}`);
  if (result.ok) show(result.data);
  return result;
}
