/**
 * The operator's "Are you sure?" before Stop, Remove and Block: a native modal <dialog> (focus
 * moves into it, Esc means No, focus returns to the button that asked). No inline script, so the
 * strict CSP holds; the question is text, never HTML.
 */
import { required } from "../shared/dom.ts";

const dialog = required<HTMLDialogElement>("[data-confirm]");
const text = required("[data-confirm-text]", dialog);
let answer: ((yes: boolean) => void) | undefined;

dialog.addEventListener("close", () => {
  const settle = answer;
  answer = undefined;
  settle?.(dialog.returnValue === "yes");
});

/** Asks `question`; the Yes button says what it does ("Yes, stop"); resolves true only for Yes. */
export function confirmAction(question: string, yesLabel: string): Promise<boolean> {
  if (answer !== undefined) return Promise.resolve(false);
  const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
  text.textContent = question;
  required("[data-confirm-yes]", dialog).textContent = `Yes, ${yesLabel.toLowerCase()}`;
  dialog.returnValue = "";
  return new Promise((resolve) => {
    answer = (yes) => {
      opener?.focus();
      resolve(yes);
    };
    dialog.showModal();
    required<HTMLButtonElement>("[data-confirm-no]", dialog).focus();
  });
}
