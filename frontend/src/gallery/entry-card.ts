/**
 * One shared program as a card: its title, when it ran, its code, and Try it, Remix (a link into
 * the editor carrying the code), plus Stop sharing for its owner and Hide/Unhide for the operator.
 * The title and the code are visitors' text: they go in as text nodes (el()), never as HTML.
 */
import type { GalleryEntry } from "../shared/api-types.ts";
import { el } from "../shared/dom.ts";
import { formatClock } from "../shared/format.ts";
import { editorLinkForCode, maxLinkedCodeChars } from "../editor/editor-link.ts";

export interface CardActions {
  /** Signed in as the operator: Hide and Unhide are offered. */
  operator: boolean;
  onTry(entry: GalleryEntry, card: HTMLElement): void;
  onHide(entry: GalleryEntry, hidden: boolean): void;
  onUnshare(entry: GalleryEntry): void;
}

export const untitled = "Untitled";

/** "18:42, 3 Dec": the gallery spans days, the clock alone would not say which. */
export function formatRanAt(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return "";
  return `${formatClock(iso)}, ${date.getDate()} ${date.toLocaleString("en", { month: "short" })}`;
}

const lineCount = (code: string) => code.replace(/\n$/, "").split("\n").length;

/** Text for screen readers after a button's visible word, so "Try it" says which program. */
const forProgram = (title: string) => el("span", { class: "visually-hidden" }, `: ${title}`);

export function galleryCard(entry: GalleryEntry, actions: CardActions): HTMLLIElement {
  const title = entry.title === "" ? untitled : entry.title;
  const headingId = `gallery-${entry.uuid}`;
  const tryButton = el("button", { type: "button", class: "button", "data-try": "" }, "Try it", forProgram(title));
  tryButton.addEventListener("click", () => actions.onTry(entry, card));
  const remix =
    entry.code.length <= maxLinkedCodeChars
      ? el("a", { class: "button button-primary", href: editorLinkForCode(entry.code), "data-remix": "" }, "Remix in the editor", forProgram(title))
      : el("p", { class: "muted small" }, "Too long to open by link: copy the code above into the editor.");
  const buttons = el("div", { class: "gallery-actions" }, tryButton, remix);
  if (entry.mine) {
    const unshare = el("button", { type: "button", class: "button button-quiet", "data-unshare": "" }, "Stop sharing", forProgram(title));
    unshare.addEventListener("click", () => actions.onUnshare(entry));
    buttons.append(unshare);
  }
  if (actions.operator) {
    const hidden = entry.hidden === true;
    const hide = el("button", { type: "button", class: "button button-danger", "data-hide": hidden ? "unhide" : "hide" }, hidden ? "Unhide" : "Hide", forProgram(title));
    hide.addEventListener("click", () => actions.onHide(entry, !hidden));
    buttons.append(hide);
  }
  const card = el(
    "li",
    { class: `example gallery-entry${entry.hidden === true ? " is-hidden" : ""}`, "data-uuid": entry.uuid, "data-hidden": entry.hidden === true, "aria-labelledby": headingId },
    el("h2", { id: headingId }, title),
    el(
      "p",
      { class: "gallery-meta muted small" },
      "Ran at ",
      el("time", { datetime: entry.ranAt }, formatRanAt(entry.ranAt)),
      " · ",
      el("code", {}, entry.shortId),
      entry.mine ? el("span", { class: "badge badge-mine" }, "yours") : null,
      entry.hidden === true ? el("span", { class: "badge badge-hidden" }, "hidden from visitors") : null,
    ),
    el("pre", { class: "output", tabindex: 0, "aria-label": `Code of ${title}, ${lineCount(entry.code)} lines` }, el("code", {}, entry.code)),
    buttons,
  );
  return card;
}
