/**
 * Sharing from the queue page: under each of the visitor's own programs that ran, a Share button
 * (or, once shared, where it is and Stop sharing). The title is asked in a dialog outside the list,
 * because the list is redrawn on every queue update and would take a half-typed title with it.
 */
import type { ShareState, SubmissionView } from "../shared/api-types.ts";
import { el, required } from "../shared/dom.ts";
import { postJson, requestJson, type ApiResult } from "../shared/http.ts";

export interface ShareHandlers {
  onShare(submission: SubmissionView): void;
  onUnshare(submission: SubmissionView): void;
}

/** The gallery line of one of the visitor's own submissions; null when it has nothing to offer. */
export function galleryLine(submission: SubmissionView, handlers: ShareHandlers): HTMLElement | null {
  const gallery = submission.gallery;
  if (!submission.mine || gallery === undefined) return null;
  if (gallery.shared && gallery.hidden) {
    return el("p", { class: "detail muted", "data-gallery-state": "hidden" }, "The operator has taken it out of the gallery.");
  }
  if (gallery.shared) {
    const stop = el("button", { type: "button", class: "button button-small button-quiet", "data-unshare": "" }, "Stop sharing");
    stop.addEventListener("click", () => handlers.onUnshare(submission));
    const named = gallery.title === null || gallery.title === "" ? "In the " : `Shared as “${gallery.title}” in the `;
    return el("p", { class: "detail gallery-line", "data-gallery-state": "shared" }, named, el("a", { href: "/gallery" }, "gallery"), ". ", stop);
  }
  if (!gallery.shareable) return null;
  const share = el("button", { type: "button", class: "button button-small", "data-share": "" }, "Share in the gallery");
  share.addEventListener("click", () => handlers.onShare(submission));
  return el("p", { class: "detail gallery-line", "data-gallery-state": "not-shared" }, share);
}

/** The title dialog: open() resolves with the new state once shared, or undefined when cancelled. */
export class ShareDialog {
  private readonly form: HTMLFormElement;
  private readonly title: HTMLInputElement;
  private readonly error: HTMLElement;
  private uuid: string | undefined;
  private settle: ((state: ShareState | undefined) => void) | undefined;

  constructor(private readonly dialog: HTMLDialogElement) {
    this.form = required<HTMLFormElement>("form", dialog);
    this.title = required<HTMLInputElement>("input[name=title]", dialog);
    this.error = required("[data-share-error]", dialog);
    required("[data-share-cancel]", dialog).addEventListener("click", () => dialog.close());
    dialog.addEventListener("close", () => this.done(undefined));
    this.form.addEventListener("submit", (event) => {
      event.preventDefault();
      void this.submit();
    });
  }

  open(submission: SubmissionView): Promise<ShareState | undefined> {
    this.done(undefined);
    this.uuid = submission.uuid;
    this.title.value = "";
    this.error.hidden = true;
    this.dialog.showModal();
    this.title.focus();
    return new Promise((resolve) => {
      this.settle = resolve;
    });
  }

  private async submit(): Promise<void> {
    if (this.uuid === undefined) return;
    const button = required<HTMLButtonElement>("button[type=submit]", this.form);
    button.disabled = true;
    const answer: ApiResult<ShareState> = await postJson<ShareState>(`/api/submissions/${encodeURIComponent(this.uuid)}/share`, { title: this.title.value });
    button.disabled = false;
    if (!answer.ok) {
      this.error.textContent = answer.error.message;
      this.error.hidden = false;
      return;
    }
    this.done(answer.data);
    this.dialog.close();
  }

  private done(state: ShareState | undefined): void {
    const settle = this.settle;
    this.settle = undefined;
    settle?.(state);
  }
}

export function unshare(uuid: string): Promise<ApiResult<ShareState>> {
  return requestJson<ShareState>(`/api/submissions/${encodeURIComponent(uuid)}/share`, { method: "DELETE" });
}
