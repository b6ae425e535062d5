/**
 * /operator: log in with the password; the LED daemon and the appliance at the top; skip,
 * pause/resume, open any submission's code and result, remove submissions, block users or
 * addresses (Stop, Remove and Block ask first); the running program's time left counts down.
 */
import type { Static } from "@sinclair/typebox";
import type { OperatorStateSchema } from "../../../appliance/src/modules/operator/index.ts";
import { confirmAction } from "../operator/confirm.ts";
import { showHealth } from "../operator/health.ts";
import { showRemaining, stopRemaining } from "../operator/remaining.ts";
import { openSubmission } from "../operator/submission-detail.ts";
import { el, replaceChildren, required } from "../shared/dom.ts";
import { formatClock } from "../shared/format.ts";
import { postJson, requestJson, type ApiResult } from "../shared/http.ts";

type OperatorState = Static<typeof OperatorStateSchema>;

const message = required("[data-operator-message]");
const loginForm = required<HTMLFormElement>("[data-login-form]");
const panel = required("[data-operator-panel]");
const summary = required("[data-operator-summary]");
const rows = required("[data-operator-submissions]");
const recentRows = required("[data-operator-recent]");
const runningNow = required("[data-running]");
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
  stopRemaining();
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
    ...(state.lastFrame === null ? [] : [`Showing the last frame of ${state.lastFrame.uuid.slice(0, 8)}.`]),
  ];
  summary.textContent = parts.join(" ");
  panel.dataset.paused = String(state.paused);
  required<HTMLButtonElement>('[data-action="pause"]', panel).hidden = state.paused;
  required<HTMLButtonElement>('[data-action="resume"]', panel).hidden = !state.paused;
  // Skip also ends a finished program's held last frame.
  required<HTMLButtonElement>('[data-action="skip"]', panel).disabled = state.running === null && state.lastFrame === null;

  const entries = [
    ...(state.running === null ? [] : [{ ...state.running, status: "running", at: state.running.startedAt }]),
    ...state.pending.map((entry) => ({ ...entry, status: "pending", at: entry.timestamp })),
  ];
  replaceChildren(rows, ...entries.map((entry) => row(entry, state.blocked.includes(entry.userId), entry.ip !== null && state.blockedIps.includes(entry.ip))));
  if (entries.length === 0) rows.append(el("tr", {}, el("td", { colspan: 5, class: "muted" }, "Nothing running or waiting.")));
  replaceChildren(recentRows, ...state.recent.map(recentRow));
  if (state.recent.length === 0) recentRows.append(el("tr", {}, el("td", { colspan: 5, class: "muted" }, "Nothing has finished yet.")));
  showRunning(state);
  showHealth(state.health);

  const unblockItem = (target: BlockTarget, label: string) => {
    const unblock = el("button", { type: "button", class: "button button-small" }, "Unblock");
    unblock.addEventListener("click", async () => handle(await postJson<OperatorState>("/api/operator/unblock", target), `Unblocked ${label}.`));
    return el("li", {}, el("code", {}, "ip" in target ? target.ip : target.userId), " ", unblock);
  };
  replaceChildren(
    blocked,
    ...state.blocked.map((userId) => unblockItem({ userId }, userId.slice(0, 8))),
    ...state.blockedIps.map((ip) => unblockItem({ ip }, `address ${ip}`)),
  );
  if (state.blocked.length + state.blockedIps.length === 0) blocked.append(el("li", { class: "muted" }, "Nobody is blocked."));
}

function showRunning(state: OperatorState): void {
  const running = state.running;
  runningNow.hidden = running === null;
  if (running === null) {
    stopRemaining();
    return;
  }
  required("[data-running-id]", runningNow).textContent = running.uuid.slice(0, 8);
  required("[data-running-user]", runningNow).textContent = running.ip === null ? running.userId.slice(0, 8) : `${running.userId.slice(0, 8)} ${running.ip}`;
  required("[data-running-limit]", runningNow).textContent = `of its ${running.slotSeconds} s turn (started ${formatClock(running.startedAt)})`;
  showRemaining(required("[data-remaining]", runningNow), running.endsAt, state.now);
}

type BlockTarget = { userId: string } | { ip: string };

/** A table cell with its label (shown beside it on a phone); the content is one box, so it stays in one column. */
const cell = (label: string, ...children: (Node | string | null)[]) => el("td", { "data-label": label }, el("span", {}, ...children));

/** A button that asks "Are you sure?" first, then calls the operator API. */
function confirmedButton(label: string, attributes: Record<string, string | boolean>, question: string, act: () => Promise<void>): HTMLButtonElement {
  const button = el("button", { type: "button", class: "button button-small", ...attributes }, label);
  button.addEventListener("click", async () => {
    if (await confirmAction(question, label)) await act();
  });
  return button;
}

function detailsButton(uuid: string): HTMLButtonElement {
  const button = el("button", { type: "button", class: "button button-small", "data-details": uuid, "aria-label": `Code and result of ${uuid.slice(0, 8)}` }, "Code and result");
  button.addEventListener("click", async () => {
    const result = await openSubmission(uuid, button);
    if (!result.ok) say("error", result.error.message);
  });
  return button;
}

function recentRow(entry: OperatorState["recent"][number]): HTMLTableRowElement {
  return el(
    "tr",
    { "data-uuid": entry.uuid },
    cell("Id", el("code", {}, entry.uuid.slice(0, 8))),
    cell("Result", entry.reason ?? entry.status),
    cell("User", el("code", { title: entry.userId }, entry.userId.slice(0, 8)), entry.ip === null ? null : el("span", { class: "muted" }, ` ${entry.ip}`)),
    cell("Finished", entry.finishedAt === null ? "" : formatClock(entry.finishedAt)),
    el("td", { class: "actions", "data-label": "Actions" }, detailsButton(entry.uuid)),
  );
}

/** What the operator typed: an address has dots (IPv4) or colons (IPv6), a user id has neither. */
const blockTargetOf = (text: string): BlockTarget => (/[.:]/.test(text) ? { ip: text } : { userId: text.toLowerCase() });

function row(entry: { uuid: string; userId: string; ip: string | null; status: string; at: string }, isBlocked: boolean, addressBlocked: boolean): HTMLTableRowElement {
  const id = entry.uuid.slice(0, 8);
  const stopping = entry.status === "running";
  const remove = confirmedButton(
    stopping ? "Stop" : "Remove",
    { "data-remove": entry.uuid },
    stopping ? `Stop ${id}, the program on the tree now? Its owner sees "Removed by the operator".` : `Remove ${id} from the queue? Its owner sees "Removed by the operator".`,
    async () => handle(await requestJson<OperatorState>(`/api/operator/submissions/${encodeURIComponent(entry.uuid)}`, { method: "DELETE" }), `${stopping ? "Stopped" : "Removed"} ${id}.`),
  );
  const block = confirmedButton(
    isBlocked ? "Blocked" : "Block user",
    { class: "button button-small button-danger", disabled: isBlocked },
    `Block user ${entry.userId.slice(0, 8)}? Their waiting programs are removed and they cannot upload until you unblock them.`,
    async () => handle(await postJson<OperatorState>("/api/operator/block", { userId: entry.userId }), `Blocked ${entry.userId.slice(0, 8)}; their waiting programs were removed.`),
  );
  const actions = [detailsButton(entry.uuid), remove, block];
  const user = [el("code", { title: entry.userId }, entry.userId.slice(0, 8))];
  const ip = entry.ip;
  if (ip !== null) {
    // A new browser is a new user; the address is what a visitor cannot change as easily.
    actions.push(
      confirmedButton(
        addressBlocked ? "Address blocked" : "Block address",
        { class: "button button-small button-danger", disabled: addressBlocked },
        `Block the address ${ip}? Everyone on it is refused (on a venue's network that may be many people) until you unblock it.`,
        async () => handle(await postJson<OperatorState>("/api/operator/block", { ip }), `Blocked address ${ip}; its waiting programs were removed.`),
      ),
    );
    user.push(el("span", { class: "muted" }, ` ${ip}`));
  }
  return el(
    "tr",
    { "data-uuid": entry.uuid },
    cell("Id", el("code", {}, id)),
    cell("Status", entry.status),
    cell("User", ...user),
    cell("Submitted", formatClock(entry.at)),
    el("td", { class: "actions", "data-label": "Actions" }, ...actions),
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
  const input = required<HTMLInputElement>("input[name=target]", blockForm);
  const target = blockTargetOf(input.value.trim());
  const what = "ip" in target ? `the address ${target.ip}` : `user ${target.userId.slice(0, 8)}`;
  if (!(await confirmAction(`Block ${what}? Their waiting programs are removed.`, "Block"))) return;
  const result = await postJson<OperatorState>("/api/operator/block", target);
  if (result.ok) input.value = "";
  handle(result, result.ok ? `Blocked ${"ip" in target ? `address ${target.ip}` : target.userId.slice(0, 8)}.` : undefined);
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
    if (action === "skip" && !(await confirmAction("Skip the program on the tree now? The next one in line starts.", "Skip"))) return;
    const done = { skip: "Skipped: the tree moves on.", pause: "Paused: nothing new starts until you resume.", resume: "Resumed." }[action];
    handle(await postJson<OperatorState>(`/api/operator/${action}`, {}), done);
  });
}

void requestJson<OperatorState>("/api/operator/state").then((result) => handle(result));
