/**
 * On a touch screen the key bar stays where the visitor's thumbs are: at the bottom of the visual
 * viewport, which is just above the on-screen keyboard while it is open and the screen's bottom
 * while it is not. Phones differ in what the keyboard shrinks (Chrome on Android and Safari shrink
 * only the visual viewport, so a `bottom: 0` bar would sit behind the keyboard; with
 * `interactive-widget=resizes-content` the whole layout viewport shrinks); following the visual
 * viewport is right in both. The Run/Try bar sticks just above the key bar (CSS, from the heights
 * published here), and the editor keeps the caret line clear of both bars.
 *
 * Positions are set through CSSOM (`element.style.top = …`), which the CSP's `style-src 'self'`
 * allows (it refuses style attributes written into markup, not properties set by a script).
 */
import { StateEffect } from "@codemirror/state";
import { EditorView } from "@codemirror/view";

/** True when the element takes part in layout (the key bar is display:none without a touch screen). */
const shown = (element: HTMLElement) => element.getClientRects().length > 0;

/**
 * How much of the visual viewport's bottom the bars hide, in CSS pixels: the distance from the
 * highest bar top that is inside the visual viewport to its bottom edge.
 */
export function coveredAtBottom(bars: readonly HTMLElement[], viewport: { offsetTop: number; height: number }): number {
  const bottom = viewport.offsetTop + viewport.height;
  let covered = 0;
  for (const bar of bars) {
    if (!shown(bar)) continue;
    const rect = bar.getBoundingClientRect();
    if (rect.top < bottom && rect.bottom > viewport.offsetTop) covered = Math.max(covered, bottom - rect.top);
  }
  return covered;
}

export function pinBars(view: EditorView, keyBar: HTMLElement, runBar: HTMLElement): void {
  const viewport = window.visualViewport;
  const root = document.documentElement;
  // Without visualViewport (old browsers) the CSS default, `bottom: 0`, is the best there is.
  if (viewport !== null) keyBar.classList.add("pinned");

  const place = () => {
    if (viewport === null) return;
    keyBar.style.top = `${viewport.offsetTop + viewport.height}px`;
    keyBar.style.left = `${viewport.offsetLeft}px`;
    keyBar.style.width = `${viewport.width}px`;
  };
  const publishHeights = () => {
    // The CSS pads the page and the editor's content by these, so nothing ends up under a bar.
    root.style.setProperty("--key-bar-height", `${shown(keyBar) ? keyBar.offsetHeight : 0}px`);
    root.style.setProperty("--run-bar-height", `${shown(runBar) ? runBar.offsetHeight : 0}px`);
  };
  let keyboardWasOpen = false;
  const viewportChanged = () => {
    place();
    if (viewport === null) return;
    // The keyboard has just opened (the visible height shrank): bring the caret line above the bars.
    const keyboardOpen = viewport.height < window.innerHeight - 1;
    if (keyboardOpen && !keyboardWasOpen && view.hasFocus) view.dispatch({ effects: EditorView.scrollIntoView(view.state.selection.main.head) });
    keyboardWasOpen = keyboardOpen;
  };

  place();
  publishHeights();
  viewport?.addEventListener("resize", viewportChanged);
  viewport?.addEventListener("scroll", place);
  new ResizeObserver(publishHeights).observe(keyBar);
  new ResizeObserver(publishHeights).observe(runBar);

  // CodeMirror treats the part of the editor under the bars as hidden: it keeps the caret (and the
  // completion list's anchor) above them; the CSS pads the editor's content by the bars' full height
  // so that even the last line can rise above them. CodeMirror's page scrolling takes the visible
  // area to start at the layout viewport's top, which is not so once the visual viewport has moved
  // down inside it (a keyboard open near the page's end, a zoomed page): a frame later, a caret
  // still hidden is brought into view by the browser itself, which knows the visual viewport.
  view.dispatch({
    effects: StateEffect.appendConfig.of([
      EditorView.scrollMargins.of((editor) => (viewport === null ? null : { bottom: hiddenEditorBottom(editor, viewport, [keyBar, runBar]) })),
      EditorView.updateListener.of((update) => {
        if (viewport !== null && update.view.hasFocus && (update.selectionSet || update.docChanged)) requestAnimationFrame(() => revealCaret(update.view, viewport, [keyBar, runBar]));
      }),
    ]),
  });
}

/**
 * How much of the editor's scroller the bars hide at its bottom (what CodeMirror's scroll margins
 * mean): never more than the bars' own height, nothing when the editor ends above them.
 */
function hiddenEditorBottom(view: EditorView, viewport: VisualViewport, bars: readonly HTMLElement[]): number {
  const covered = coveredAtBottom(bars, viewport);
  const barsTop = viewport.offsetTop + viewport.height - covered;
  return Math.min(covered, Math.max(0, view.scrollDOM.getBoundingClientRect().bottom - barsTop));
}

function revealCaret(view: EditorView, viewport: VisualViewport, bars: readonly HTMLElement[]): void {
  const head = view.state.selection.main.head;
  const caret = view.coordsAtPos(head);
  if (caret === null) return;
  const covered = coveredAtBottom(bars, viewport);
  if (caret.top >= viewport.offsetTop && caret.bottom <= viewport.offsetTop + viewport.height - covered) return;
  const { node } = view.domAtPos(head);
  const line = (node instanceof Element ? node : node.parentElement)?.closest(".cm-line");
  if (line === null || line === undefined) return;
  // .cm-line's scroll-margin-bottom reads this: the line stops above the bars.
  document.documentElement.style.setProperty("--covered-bottom", `${covered}px`);
  line.scrollIntoView({ block: "nearest" });
}
