/** /queue: every submission, live over SSE, with countdowns, the visitor's own results and the tree. */
import { mountLiveTree } from "../live/live-tree.ts";
import { countdown, startCountdowns } from "../queue/countdown.ts";
import { followQueue } from "../queue/queue-feed.ts";
import { statusWords, submissionItem, type RenderContext } from "../queue/render.ts";
import { ShareDialog, unshare } from "../queue/share.ts";
import type { QueueView, RunResult, SubmissionView } from "../shared/api-types.ts";
import { el, replaceChildren, required } from "../shared/dom.ts";
import { requestJson } from "../shared/http.ts";

mountLiveTree(required("[data-live-tree]"));

const banners = required("[data-banners]");
const mineSummary = required("[data-mine-summary]");
const running = required("[data-running]");
const pending = required<HTMLOListElement>("[data-pending]");
const pendingCount = required("[data-pending-count]");
const etaNote = required("[data-eta-note]");
const recent = required<HTMLOListElement>("[data-recent]");
const connection = required("[data-connection]");

const shareDialog = new ShareDialog(required<HTMLDialogElement>("[data-share-dialog]"));

const highlight = new URLSearchParams(location.search).get("highlight") ?? undefined;
let lastView: QueueView | undefined;
let scrolledToHighlight = false;
/** Results of the visitor's own finished runs, fetched once each when the queue view leaves them out. */
const results = new Map<string, RunResult | "loading">();
const openResults = new Set<string>();

const context = (view: QueueView, receivedAtMs: number): RenderContext => ({
  receivedAtMs,
  highlight,
  paused: view.paused,
  lastFrame: view.lastFrame,
  openResults,
  onCancel: (submission) => void cancel(submission),
  onShare: (submission) => void share(submission),
  onUnshare: (submission) => void stopSharing(submission),
  resultOf(submission) {
    if (submission.result !== undefined) return submission.result;
    const known = results.get(submission.uuid);
    if (known === undefined && isFinished(submission)) void fetchResult(submission.uuid);
    return known === "loading" ? undefined : known;
  },
});

function isFinished(submission: SubmissionView): boolean {
  return submission.status === "completed" || submission.status === "failed" || submission.status === "cancelled";
}

async function fetchResult(uuid: string): Promise<void> {
  results.set(uuid, "loading");
  const answer = await requestJson<SubmissionView>(`/api/submissions/${encodeURIComponent(uuid)}`);
  if (answer.ok && answer.data.result !== undefined) {
    results.set(uuid, answer.data.result);
    if (lastView !== undefined) render(lastView);
  }
}

async function cancel(submission: SubmissionView): Promise<void> {
  const answer = await requestJson<{ cancelled: true }>(`/api/submissions/${encodeURIComponent(submission.uuid)}`, { method: "DELETE" });
  if (!answer.ok) showBanner("error", answer.error.message);
  await feed.refresh();
}

async function share(submission: SubmissionView): Promise<void> {
  const state = await shareDialog.open(submission);
  if (state === undefined) return;
  showBanner("info", state.title === "" || state.title === null ? "Shared in the gallery: everyone can try and remix it there." : `Shared in the gallery as “${state.title}”: everyone can try and remix it there.`);
  await feed.refresh();
}

async function stopSharing(submission: SubmissionView): Promise<void> {
  const answer = await unshare(submission.uuid);
  showBanner(answer.ok ? "info" : "error", answer.ok ? "No longer shared: it is out of the gallery." : answer.error.message);
  await feed.refresh();
}

const transient: HTMLElement[] = [];
function showBanner(kind: "error" | "info", text: string): void {
  const banner = el("p", { class: `message message-${kind}` }, text);
  transient.push(banner);
  banners.append(banner);
  setTimeout(() => banner.remove(), 8000);
}

function render(view: QueueView): void {
  lastView = view;
  const receivedAtMs = Date.now();
  const ctx = context(view, receivedAtMs);

  const states: HTMLElement[] = [];
  if (!view.tree.online) states.push(el("p", { class: "message message-warning", "data-banner": "offline" }, "The tree is offline: programs still run in turn, but the lights stay dark until it is back."));
  if (view.paused) states.push(el("p", { class: "message message-warning", "data-banner": "paused" }, "The queue is paused by the operator. Your place is kept."));
  if (!view.acceptingUploads) states.push(el("p", { class: "message message-warning", "data-banner": "closed" }, "New programs cannot be accepted right now."));
  replaceChildren(banners, ...states, ...transient.filter((banner) => banner.isConnected));

  const runningView = view.running;
  if (runningView !== null) {
    replaceChildren(running, el("ol", { class: "submissions" }, submissionItem(runningView, ctx)));
  } else if (view.lastFrame !== null) {
    const held = view.lastFrame;
    replaceChildren(
      running,
      el(
        "p",
        { class: "last-frame", "data-last-frame": held.mine ? "mine" : "other" },
        held.mine ? "Your program has ended: the tree is showing your last frame" : `The tree is showing the last frame of ${held.shortId}`,
        ` (${view.pending.length > 0 && !view.paused ? "the next program starts in " : "for "}`,
        countdown(held.remainingSeconds, "eta", receivedAtMs),
        ").",
      ),
    );
  } else if (view.paused) {
    replaceChildren(running, el("p", { class: "muted" }, "Nothing is running: the queue is paused until the operator resumes it."));
  } else {
    replaceChildren(running, el("p", { class: "muted" }, view.idleShow ? "Nobody’s program: the tree is running its own show. Yours would start at once." : "Nothing is running."));
  }

  replaceChildren(pending, ...view.pending.map((submission) => submissionItem(submission, ctx)));
  if (view.pending.length === 0) pending.append(el("li", { class: "empty muted" }, "Nobody is waiting."));
  pendingCount.textContent = view.pending.length === 0 ? "" : `(${view.pending.length})`;
  etaNote.textContent =
    view.pending.length === 0
      ? ""
      : view.etaIsWorstCase
        ? `Start times are the latest possible: every program may use its whole ${view.slotSeconds} s turn, most finish sooner.`
        : "Start times are estimates.";

  replaceChildren(recent, ...view.recent.map((submission) => submissionItem(submission, ctx)));
  if (view.recent.length === 0) recent.append(el("li", { class: "empty muted" }, "Nothing has run yet."));

  renderMineSummary(view, receivedAtMs);
  if (highlight !== undefined && !scrolledToHighlight) {
    const item = document.querySelector(`[data-uuid="${CSS.escape(highlight)}"]`);
    if (item !== null) {
      scrolledToHighlight = true;
      mineSummary.scrollIntoView({ block: "nearest" });
    }
  }
}

/** The highlighted submission (the one just sent), told in one sentence near the top. */
function renderMineSummary(view: QueueView, receivedAtMs: number): void {
  if (highlight === undefined) return;
  const all = [...(view.running === null ? [] : [view.running]), ...view.pending, ...view.recent];
  const mine = all.find((submission) => submission.uuid === highlight);
  if (mine === undefined) {
    mineSummary.hidden = true;
    return;
  }
  const parts: (string | Node)[] = [];
  if (mine.status === "pending") {
    parts.push(mine.position === 1 ? "Your program is next" : `Your program is number ${mine.position} in line`);
    if (mine.etaSeconds !== null) parts.push(": it starts ", countdown(mine.etaSeconds, "eta", receivedAtMs), view.etaIsWorstCase ? " at the latest." : ".");
    else if (view.paused) parts.push(": the queue is paused, so it starts when the operator resumes it.");
  } else if (mine.status === "running") {
    parts.push("Your program is on the tree now! Look up.");
    if (mine.remainingSeconds !== null) parts.push(" ", countdown(mine.remainingSeconds, "left", receivedAtMs), ".");
  } else if (view.lastFrame?.uuid === mine.uuid) {
    parts.push(`${mine.reason?.text ?? "It has ended."} The tree is showing your last frame: look up! (`, countdown(view.lastFrame.remainingSeconds, "left", receivedAtMs), ")");
  } else {
    parts.push(`Your program is ${statusWords[mine.status]}: ${mine.reason?.text ?? ""}`);
  }
  mineSummary.className = `mine-summary status-${mine.status}`;
  mineSummary.dataset.status = mine.status;
  replaceChildren(mineSummary, ...parts);
  mineSummary.hidden = false;
}

const feed = followQueue(render, (connected, opened) => {
  connection.textContent = connected ? "Updates live." : "Lost the connection, reconnecting…";
  connection.dataset.connected = String(connected);
  // How many times the event stream has opened: more than one means it reconnected.
  if (opened) connection.dataset.opens = String(Number(connection.dataset.opens ?? 0) + 1);
});
startCountdowns(document);
