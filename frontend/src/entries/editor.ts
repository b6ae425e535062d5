/** /editor (and /): the CodeMirror editor, examples, Run, and the live tree. */
import { createCodeEditor } from "../editor/code-editor.ts";
import { loadDraft, saveDraft } from "../editor/draft.ts";
import { defaultExample, examples } from "../editor/examples.ts";
import { createKeyBar } from "../editor/key-bar.ts";
import { submitProgram } from "../editor/run.ts";
import { mountLiveTree } from "../live/live-tree.ts";
import { followQueue } from "../queue/queue-feed.ts";
import type { QueueView } from "../shared/api-types.ts";
import { el, replaceChildren, required } from "../shared/dom.ts";
import { formatEta } from "../shared/format.ts";

mountLiveTree(required("[data-live-tree]"));

const message = required("[data-editor-message]");
const runButton = required<HTMLButtonElement>("[data-run-button]");
const picker = required<HTMLSelectElement>("[data-example-picker]");
const draftNote = required("[data-draft-note]");
const queueNote = required("[data-queue-note]");

let saveTimer: ReturnType<typeof setTimeout> | undefined;
const editor = createCodeEditor(required("[data-code-editor]"), loadDraft() ?? defaultExample.code, (code) => {
  clearTimeout(saveTimer);
  saveTimer = setTimeout(() => {
    draftNote.textContent = saveDraft(code) ? "Your draft is saved in this browser." : "This browser cannot save drafts: copy your code somewhere safe.";
  }, 300);
  hideMessage();
});

required("[data-key-bar]").replaceWith(createKeyBar(editor.view));

for (const example of examples) picker.append(el("option", { value: example.id }, example.title));
picker.addEventListener("change", () => {
  const example = examples.find((candidate) => candidate.id === picker.value);
  if (example === undefined) return;
  editor.setCode(example.code);
  picker.value = "";
  showMessage("info", [`Loaded “${example.title}”. Your previous code is one undo away (Ctrl+Z).`]);
});

function showMessage(kind: "info" | "error", parts: (string | Node)[]): void {
  message.className = `message message-${kind}`;
  replaceChildren(message, ...parts);
  message.hidden = false;
}

function hideMessage(): void {
  message.hidden = true;
}

runButton.addEventListener("click", async () => {
  runButton.disabled = true;
  runButton.textContent = "Sending…";
  try {
    const outcome = await submitProgram(editor.getCode());
    if (outcome.kind === "queued") {
      location.assign(`/queue?highlight=${encodeURIComponent(outcome.accepted.uuid)}`);
      return;
    }
    if (outcome.kind === "check-failed") {
      const { line, column, message: text } = outcome.error;
      editor.showError(line, column, text);
      const jump = el("button", { type: "button", class: "link-button" }, `Show line ${line}`);
      jump.addEventListener("click", () => {
        editor.showError(line, column, text);
        editor.view.focus();
      });
      showMessage("error", [el("strong", {}, "Not sent: the program needs a fix. "), text, " ", jump]);
      message.dataset.line = String(line);
    } else {
      showMessage("error", [outcome.message]);
      delete message.dataset.line;
    }
  } finally {
    runButton.disabled = false;
    runButton.textContent = "Run on the tree";
  }
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
