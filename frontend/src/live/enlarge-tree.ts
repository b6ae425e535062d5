/**
 * The small live tree is a button: tapping it (or Enter/Space) shows the tree full-screen in a modal
 * dialog, and Esc, Close or a tap on the big tree bring it back. The one canvas moves between the two
 * places, so its TreeView keeps drawing and, through its ResizeObserver, redraws at the size it now
 * has; nothing else has to know the tree is enlarged.
 */
import { required } from "../shared/dom.ts";

export function enlargeOnTap(panel: HTMLElement, dialog: HTMLDialogElement): void {
  const button = required<HTMLButtonElement>("[data-tree-enlarge]", panel);
  const canvas = required<HTMLCanvasElement>("canvas", button);
  const stage = required("[data-tree-dialog-stage]", dialog);
  const status = required("[data-tree-status]", panel);
  const dialogStatus = required("[data-tree-dialog-status]", dialog);

  // The dialog says what the panel says (connecting, offline, live), also while it is open.
  const copyStatus = () => (dialogStatus.textContent = status.textContent);
  new MutationObserver(copyStatus).observe(status, { childList: true, characterData: true, subtree: true });

  button.addEventListener("click", () => {
    copyStatus();
    stage.append(canvas);
    dialog.showModal();
  });
  required("[data-tree-dialog-close]", dialog).addEventListener("click", () => dialog.close());
  stage.addEventListener("click", () => dialog.close());
  // Esc closes a modal dialog by itself; every way of closing ends here.
  dialog.addEventListener("close", () => {
    button.prepend(canvas);
    button.focus();
  });
}
