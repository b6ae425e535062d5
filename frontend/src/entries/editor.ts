/** /editor (and /): the CodeMirror editor, examples, checks as you type, Try it, Run, and the live tree. */
import { createCodeEditor } from "../editor/code-editor.ts";
import { loadDraft, saveDraft } from "../editor/draft.ts";
import { codeFromFragment } from "../editor/editor-link.ts";
import { defaultExample, type Example } from "../editor/default-example.ts";
import { createKeyBar } from "../editor/key-bar.ts";
import { rememberRun } from "../editor/last-run.ts";
import { LiveCheck, postCheck } from "../editor/live-check.ts";
import { startPreview, type PreviewView } from "../editor/preview.ts";
import { PreviewPanel } from "../editor/preview-panel.ts";
import { submitProgram } from "../editor/run.ts";
import { treeRunError } from "../editor/tree-run-error.ts";
import { enlargeOnTap } from "../live/enlarge-tree.ts";
import { mountLiveTree } from "../live/live-tree.ts";
import { followQueue } from "../queue/queue-feed.ts";
import type { QueueView } from "../shared/api-types.ts";
import { el, replaceChildren, required } from "../shared/dom.ts";
import { formatEta } from "../shared/format.ts";

const livePanel = required("[data-live-tree]");
mountLiveTree(livePanel);
enlargeOnTap(livePanel, required<HTMLDialogElement>("[data-tree-dialog]"));

const message = required("[data-editor-message]");
const runButton = required<HTMLButtonElement>("[data-run-button]");
const tryButton = required<HTMLButtonElement>("[data-try-button]");
const picker = required<HTMLSelectElement>("[data-example-picker]");
const draftNote = required("[data-draft-note]");
const queueNote = required("[data-queue-note]");
const preview = new PreviewPanel(required("[data-preview-tree]"));

let saveTimer: ReturnType<typeof setTimeout> | undefined;
const editor = createCodeEditor(required("[data-code-editor]"), loadDraft() ?? defaultExample.code, (code) => {
  clearTimeout(saveTimer);
  saveTimer = setTimeout(() => {
    draftNote.textContent = saveDraft(code) ? "Your draft is saved in this browser." : "This browser cannot save drafts: copy your code somewhere safe.";
  }, 300);
  hideMessage();
  liveCheck.changed();
});

const liveCheck = new LiveCheck({
  post: postCheck,
  currentCode: () => editor.getCode(),
  onProblem: ({ line, column, error }) => editor.showError(line, column, error, { quiet: true, kind: "check" }),
});

const keyBar = createKeyBar(editor.view);
required("[data-key-bar]").replaceWith(keyBar);
// Pinning the key bar above the keyboard comes a moment later (until then the CSS keeps it at the
// screen's bottom): what the page downloads before the editor works stays small.
void import("../editor/pinned-bars.ts").then(({ pinBars }) => pinBars(editor.view, keyBar, required("[data-run-bar]")), () => undefined);

/** The examples arrive after the editor works (their code is most of their size); the picker waits. */
const examplesLoaded: Promise<Example[]> = import("../editor/examples.ts").then(
  ({ examples }) => {
    for (const example of examples) picker.append(el("option", { value: example.id }, example.title));
    return examples;
  },
  () => {
    // Lost on a bad connection: the editor still works; a link to an example says it is not there.
    picker.disabled = true;
    return [];
  },
);
picker.addEventListener("change", async () => {
  const example = (await examplesLoaded).find((candidate) => candidate.id === picker.value);
  if (example === undefined) return;
  editor.setCode(example.code);
  picker.value = "";
  showMessage("info", [`Loaded “${example.title}”. Your previous code is one undo away (Ctrl+Z).`]);
});

/** A link from the docs or the example gallery (`#example=…`, `#code=…`) opens its code here. */
async function openLinkedCode(): Promise<void> {
  if (location.hash === "") return;
  const linked = codeFromFragment(location.hash, await examplesLoaded);
  if (linked === undefined) return;
  // Dropped at once: reloading the page must keep the visitor's edits, not reopen the link.
  history.replaceState(null, "", location.pathname + location.search);
  if (linked.kind === "error") {
    showMessage("error", [linked.message]);
    return;
  }
  if (linked.code !== editor.getCode()) editor.setCode(linked.code);
  showMessage("info", [`Opened ${linked.label}. Press Try it to preview it. Your previous code is one undo away (Ctrl+Z).`]);
}

function showMessage(kind: "info" | "error", parts: (string | Node)[]): void {
  message.className = `message message-${kind}`;
  replaceChildren(message, ...parts);
  message.hidden = false;
  delete message.dataset.line;
}

function hideMessage(): void {
  message.hidden = true;
}

function jumpButton(line: number, show: () => void): HTMLButtonElement {
  const jump = el("button", { type: "button", class: "link-button" }, `Show line ${line}`);
  jump.addEventListener("click", () => {
    show();
    editor.view.focus();
  });
  return jump;
}

/** A check error: marked at its line and column, and said in the message box. */
function showCheckError(prefix: string, line: number, column: number, text: string): void {
  const show = () => editor.showError(line, column, text, { kind: "check" });
  show();
  showMessage("error", [el("strong", {}, prefix), text, " ", jumpButton(line, show)]);
  message.dataset.line = String(line);
}

/** A runtime error (from a preview or the tree run): marked at its line, with the traceback. */
function showRuntimeError(where: string, line: number, text: string, traceback: string): void {
  const detail = traceback.trim() === "" ? text : traceback.trim();
  const show = () => editor.showError(line, null, text, { kind: "runtime", detail });
  show();
  const parts: (string | Node)[] = [el("strong", {}, `${where} stopped with an error on line ${line}: `), text, " ", jumpButton(line, show)];
  if (traceback.trim() !== "") {
    parts.push(el("details", { class: "result" }, el("summary", {}, "The traceback"), el("pre", { class: "output output-error" }, traceback.trim())));
  }
  showMessage("error", parts);
  message.dataset.line = String(line);
}

function printed(stdout: string): Node[] {
  if (stdout.trim() === "") return [];
  return [el("details", { class: "result" }, el("summary", {}, "What it printed"), el("pre", { class: "output" }, stdout))];
}

function previewEnded(view: PreviewView): void {
  const frames = `${view.frames} frame${view.frames === 1 ? "" : "s"}`;
  if (view.status === "rejected") {
    preview.end("Not run: the program needs a fix first.", "rejected");
    showCheckError("Not run: the program needs a fix. ", view.line ?? 1, view.column ?? 1, view.error ?? "The check refused the program.");
    return;
  }
  if (view.status === "failed") {
    if (view.line !== null) {
      preview.end(`Stopped by an error on line ${view.line} after ${frames}.`, "failed");
      showRuntimeError("The preview", view.line, view.error ?? "an error", view.stderr);
    } else {
      preview.end(`Stopped after ${frames}.`, "failed");
      showMessage("error", [view.error ?? "The preview stopped.", ...printed(view.stdout)]);
    }
    return;
  }
  if (view.frames === 0) {
    preview.end("Done, but nothing was lit.", view.status);
    showMessage("info", ["Your program ended without lighting any LED: call setLEDs(...) to show something.", ...printed(view.stdout)]);
    return;
  }
  const how = view.status === "timeout" ? `Preview stopped after ${view.limitSeconds} s (${frames}); on the tree it can run longer.` : `Preview done: ${frames}.`;
  preview.end(how, view.status);
  showMessage("info", [`${how} Looks right? Press Run on the tree.`, ...printed(view.stdout)]);
}

let stopFollowing: (() => void) | undefined;
tryButton.addEventListener("click", async () => {
  stopFollowing?.();
  editor.clearErrors();
  hideMessage();
  tryButton.disabled = true;
  preview.begin();
  try {
    stopFollowing = await startPreview(editor.getCode(), {
      onFrame: (rgb) => preview.frame(rgb),
      onEnd: previewEnded,
      onRefused(text) {
        preview.end("Not started.", "refused");
        showMessage("error", [text]);
      },
    });
  } finally {
    tryButton.disabled = false;
  }
});

runButton.addEventListener("click", async () => {
  runButton.disabled = true;
  runButton.textContent = "Sending…";
  try {
    const code = editor.getCode();
    const outcome = await submitProgram(code);
    if (outcome.kind === "queued") {
      // Saved now, not after the usual pause: the page is left at once, and coming back must show what ran.
      saveDraft(code);
      rememberRun({ uuid: outcome.accepted.uuid, code });
      location.assign(`/queue?highlight=${encodeURIComponent(outcome.accepted.uuid)}`);
      return;
    }
    if (outcome.kind === "check-failed") {
      const { line, column, message: text } = outcome.error;
      showCheckError("Not sent: the program needs a fix. ", line, column, text);
    } else {
      showMessage("error", [outcome.message]);
    }
  } finally {
    runButton.disabled = false;
    runButton.textContent = "Run on the tree";
  }
});

/** The last tree run's error, marked once per run while the editor holds the program that ran. */
let treeErrorShownFor: string | undefined;
async function showTreeRunError(): Promise<void> {
  const found = await treeRunError(() => editor.getCode());
  if (found === undefined || found.uuid === treeErrorShownFor) return;
  treeErrorShownFor = found.uuid;
  showRuntimeError("Your program on the tree", found.line, found.message, found.traceback);
}

void openLinkedCode();
window.addEventListener("hashchange", () => void openLinkedCode());
void showTreeRunError();
void liveCheck.checkNow();
document.addEventListener("visibilitychange", () => {
  if (document.visibilityState === "visible") void showTreeRunError();
});

/** One line above Run, kept live: how long the line is now, or that uploads are closed or paused. */
function showQueueNote(view: QueueView): void {
  queueNote.classList.toggle("closed", !view.acceptingUploads || view.paused);
  if (!view.acceptingUploads) queueNote.textContent = "The tree is not taking new programs right now.";
  else if (view.paused || view.nextStartSeconds === null) queueNote.textContent = "The queue is paused for a moment: nothing starts until it resumes; your place would be kept.";
  else if (view.nextStartSeconds === 0) queueNote.textContent = "Nobody is waiting: yours would start at once.";
  else {
    const waiting = view.pending.length;
    const line = waiting > 0 ? `${waiting} waiting` : view.running !== null ? "A program is on the tree" : "The last program’s picture is still on the tree";
    queueNote.textContent = `${line} · yours would start ${formatEta(view.nextStartSeconds)}${view.etaIsWorstCase ? " at the latest" : ""}`;
  }
}

followQueue(showQueueNote, () => undefined);
