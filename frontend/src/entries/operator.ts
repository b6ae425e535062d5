/** /operator: log in with the password, then skip, pause/resume, remove submissions, block users. */
import type { Static } from "@sinclair/typebox";
import type { OperatorStateSchema } from "../../../appliance/src/modules/operator/index.ts";
import { el, replaceChildren, required } from "../shared/dom.ts";
import { formatClock } from "../shared/format.ts";
import { postJson, requestJson, type ApiResult } from "../shared/http.ts";

type OperatorState = Static<typeof OperatorStateSchema>;

const message = required("[data-operator-message]");
const loginForm = required<HTMLFormElement>("[data-login-form]");
const panel = required("[data-operator-panel]");
const summary = required("[data-operator-summary]");
const rows = required("[data-operator-submissions]");
const blocked = required("[data-blocked]");
const blockForm = required<HTMLFormElement>("[data-block-form]");
/** While logged in, every queue event (on each change, and at least every 5 s) refreshes the state. */
let events: EventSource | undefined;
let refreshing = false;

function say(kind: "info" | "error", text: string): void {
  message.className = `message message-${kind}`;
  message.textContent = text;
  message.hidden = false;
}

/** Every operator call answers with the new state, or an error that decides what to show. */
function handle(result: ApiResult<OperatorState>, done?: string): void {
  if (result.ok) {
    if (done !== undefined) say("info", done);
    else message.hidden = true;
    show(result.data);
    return;
  }
  if (result.error.code === "unauthorized" && result.status !== 429) {
    showLogin(result.error.message);
    return;
  }
  if (result.error.code === "operator_disabled") {
    loginForm.hidden = true;
    panel.hidden = true;
    stopRefresh();
  }
  say("error", result.error.message);
}

function showLogin(why?: string): void {
  stopRefresh();
  panel.hidden = true;
  loginForm.hidden = false;
  if (why !== undefined && why !== "Log in as the operator first.") say("error", why);
  required<HTMLInputElement>("input", loginForm).focus();
}

function stopRefresh(): void {
  events?.close();
  events = undefined;
}

function startRefresh(): void {
  if (events !== undefined) return;
  events = new EventSource("/api/queue/events");
  events.addEventListener("queue", async () => {
    if (refreshing) return;
    refreshing = true;
    try {
      handle(await requestJson<OperatorState>("/api/operator/state"));
    } finally {
      refreshing = false;
    }
  });
}

function show(state: OperatorState): void {
  loginForm.hidden = true;
  panel.hidden = false;
  startRefresh();

  const parts = [
    state.paused ? "Queue PAUSED." : "Queue running.",
    state.tree.online ? `Tree online (${state.tree.ledCount} LEDs).` : "Tree OFFLINE.",
    state.sandbox.ready ? "Sandbox ready." : `Sandbox NOT ready: ${state.sandbox.reason ?? "unknown reason"}.`,
    `${state.pending.length} waiting.`,
  ];
  summary.textContent = parts.join(" ");
  panel.dataset.paused = String(state.paused);
  required<HTMLButtonElement>('[data-action="pause"]', panel).hidden = state.paused;
  required<HTMLButtonElement>('[data-action="resume"]', panel).hidden = !state.paused;
  required<HTMLButtonElement>('[data-action="skip"]', panel).disabled = state.running === null;

  const entries = [
    ...(state.running === null ? [] : [{ ...state.running, status: "running", at: state.running.startedAt }]),
    ...state.pending.map((entry) => ({ ...entry, status: "pending", at: entry.timestamp })),
  ];
  replaceChildren(rows, ...entries.map((entry) => row(entry, state.blocked.includes(entry.userId))));
  if (entries.length === 0) rows.append(el("tr", {}, el("td", { colspan: 5, class: "muted" }, "Nothing running or waiting.")));

  replaceChildren(
    blocked,
    ...state.blocked.map((userId) => {
      const unblock = el("button", { type: "button", class: "button button-small" }, "Unblock");
      unblock.addEventListener("click", async () => handle(await postJson<OperatorState>("/api/operator/unblock", { userId }), `Unblocked ${userId.slice(0, 8)}.`));
      return el("li", {}, el("code", {}, userId), " ", unblock);
    }),
  );
  if (state.blocked.length === 0) blocked.append(el("li", { class: "muted" }, "Nobody is blocked."));
}

function row(entry: { uuid: string; userId: string; status: string; at: string }, isBlocked: boolean): HTMLTableRowElement {
  const remove = el("button", { type: "button", class: "button button-small", "data-remove": entry.uuid }, entry.status === "running" ? "Stop" : "Remove");
  remove.addEventListener("click", async () => {
    handle(await requestJson<OperatorState>(`/api/operator/submissions/${encodeURIComponent(entry.uuid)}`, { method: "DELETE" }), `Removed ${entry.uuid.slice(0, 8)}.`);
  });
  const block = el("button", { type: "button", class: "button button-small button-danger", disabled: isBlocked }, isBlocked ? "Blocked" : "Block user");
  block.addEventListener("click", async () => {
    handle(await postJson<OperatorState>("/api/operator/block", { userId: entry.userId }), `Blocked ${entry.userId.slice(0, 8)}; their waiting programs were removed.`);
  });
  return el(
    "tr",
    { "data-uuid": entry.uuid },
    el("td", {}, el("code", {}, entry.uuid.slice(0, 8))),
    el("td", {}, entry.status),
    el("td", {}, el("code", { title: entry.userId }, entry.userId.slice(0, 8))),
    el("td", {}, formatClock(entry.at)),
    el("td", { class: "actions" }, remove, block),
  );
}

loginForm.addEventListener("submit", async (event) => {
  event.preventDefault();
  const input = required<HTMLInputElement>("input[name=password]", loginForm);
  const result = await postJson<OperatorState>("/api/operator/login", { password: input.value });
  if (result.ok) input.value = "";
  if (!result.ok && result.error.code === "unauthorized") {
    say("error", result.error.message);
    return;
  }
  handle(result);
});

blockForm.addEventListener("submit", async (event) => {
  event.preventDefault();
  const input = required<HTMLInputElement>("input[name=userId]", blockForm);
  const userId = input.value.trim().toLowerCase();
  const result = await postJson<OperatorState>("/api/operator/block", { userId });
  if (result.ok) input.value = "";
  handle(result, result.ok ? `Blocked ${userId.slice(0, 8)}.` : undefined);
});

for (const button of panel.querySelectorAll<HTMLButtonElement>("[data-action]")) {
  button.addEventListener("click", async () => {
    const action = button.dataset.action!;
    if (action === "logout") {
      await postJson("/api/operator/logout", {});
      showLogin();
      say("info", "Logged out.");
      return;
    }
    const done = { skip: "Skipped the running program.", pause: "Paused: nothing new starts until you resume.", resume: "Resumed." }[action];
    handle(await postJson<OperatorState>(`/api/operator/${action}`, {}), done);
  });
}

void requestJson<OperatorState>("/api/operator/state").then((result) => handle(result));
