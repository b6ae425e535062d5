/**
 * /gallery: shared programs, newest first, a page at a time. Try it previews one on a little tree
 * inside its card (the same preview as the editor's: POST /api/preview, frames for this browser
 * only); Remix is a link into the editor. The operator, when signed in, sees hidden ones too and
 * can hide or unhide each.
 */
import { startPreview, type PreviewView } from "../editor/preview.ts";
import { PreviewPanel } from "../editor/preview-panel.ts";
import { galleryCard } from "../gallery/entry-card.ts";
import type { GalleryEntry, GalleryPage, ShareState } from "../shared/api-types.ts";
import { required } from "../shared/dom.ts";
import { requestJson } from "../shared/http.ts";

const list = required<HTMLOListElement>("[data-gallery-list]");
const status = required("[data-gallery-status]");
const more = required<HTMLButtonElement>("[data-gallery-more]");
const message = required("[data-gallery-message]");
const operatorNote = required("[data-operator-note]");
const panelElement = required("[data-preview-tree]");
const preview = new PreviewPanel(panelElement);

let operator = false;
let next: string | null = null;
let shown = 0;
let stopPreview: (() => void) | undefined;

function say(kind: "info" | "error", text: string): void {
  message.className = `message message-${kind}`;
  message.textContent = text;
  message.hidden = false;
}

const listPath = () => (operator ? "/api/operator/gallery" : "/api/gallery");

async function loadPage(before: string | null): Promise<void> {
  more.disabled = true;
  const answer = await requestJson<GalleryPage>(`${listPath()}${before === null ? "" : `?before=${encodeURIComponent(before)}`}`);
  list.removeAttribute("aria-busy");
  more.disabled = false;
  if (!answer.ok) {
    status.textContent = "";
    say("error", answer.error.message);
    return;
  }
  for (const entry of answer.data.entries) list.append(galleryCard(entry, actions));
  shown += answer.data.entries.length;
  next = answer.data.next;
  more.hidden = next === null;
  showCount();
}

function showCount(): void {
  status.textContent = shown === 0 ? "Nothing is shared yet. Run a program, then share it from the queue page." : `${shown} shared program${shown === 1 ? "" : "s"}${next === null ? "" : " so far"}.`;
}

function previewEnded(view: PreviewView): void {
  const frames = `${view.frames} frame${view.frames === 1 ? "" : "s"}`;
  if (view.status === "rejected") preview.end(`Not run: ${view.error ?? "the check refused it"}.`, view.status);
  else if (view.status === "failed") preview.end(`Stopped after ${frames}${view.line === null ? "" : ` by an error on line ${view.line}`}: ${view.error ?? "an error"}.`, view.status);
  else if (view.status === "timeout") preview.end(`Played for ${view.limitSeconds} s (${frames}): on the tree it runs longer.`, view.status);
  else preview.end(`Ran to the end (${frames}).`, view.status);
}

const actions = {
  get operator() {
    return operator;
  },
  onTry(entry: GalleryEntry, card: HTMLElement) {
    stopPreview?.();
    card.append(panelElement);
    preview.begin();
    void startPreview(entry.code, {
      onFrame: (rgb) => preview.frame(rgb),
      onEnd: previewEnded,
      onRefused: (text) => preview.end(text, "refused"),
    }).then((stop) => {
      stopPreview = stop;
    });
  },
  async onHide(entry: GalleryEntry, hidden: boolean) {
    const answer = await requestJson<ShareState>(`/api/operator/gallery/${encodeURIComponent(entry.uuid)}/${hidden ? "hide" : "unhide"}`, { method: "POST" });
    if (!answer.ok) {
      say("error", answer.error.message);
      return;
    }
    replaceCard(entry, { ...entry, hidden: answer.data.hidden });
    say("info", hidden ? "Hidden: visitors no longer see it in the gallery." : "Unhidden: it is back in the gallery.");
  },
  async onUnshare(entry: GalleryEntry) {
    const answer = await requestJson<ShareState>(`/api/submissions/${encodeURIComponent(entry.uuid)}/share`, { method: "DELETE" });
    if (!answer.ok) {
      say("error", answer.error.message);
      return;
    }
    removeCard(entry);
    say("info", "No longer shared: it is out of the gallery.");
  },
};

const cardOf = (entry: GalleryEntry) => list.querySelector<HTMLElement>(`[data-uuid="${CSS.escape(entry.uuid)}"]`);

function replaceCard(entry: GalleryEntry, updated: GalleryEntry): void {
  const card = cardOf(entry);
  if (card === null) return;
  // The preview stays where it is if it was playing in this card.
  const fresh = galleryCard(updated, actions);
  if (card.contains(panelElement)) fresh.append(panelElement);
  card.replaceWith(fresh);
}

function removeCard(entry: GalleryEntry): void {
  const card = cardOf(entry);
  if (card === null) return;
  if (card.contains(panelElement)) {
    stopPreview?.();
    preview.close();
    document.querySelector("main")!.append(panelElement);
  }
  card.remove();
  shown -= 1;
  showCount();
}

more.addEventListener("click", () => void loadPage(next));

async function start(): Promise<void> {
  const session = await requestJson<{ signedIn: boolean }>("/api/operator/gallery/session");
  operator = session.ok && session.data.signedIn;
  operatorNote.hidden = !operator;
  await loadPage(null);
}
void start();
