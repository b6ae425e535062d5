/**
 * A row of keys phone keyboards hide: indentation (Python needs it, phones have no Tab) and the
 * brackets and colon that sit two layers deep. Buttons keep the editor focused, so the on-screen
 * keyboard stays open.
 */
import { indentLess, indentMore } from "@codemirror/commands";
import type { EditorView } from "@codemirror/view";
import { el } from "../shared/dom.ts";

interface Key {
  label: string;
  title: string;
  run(view: EditorView): void;
}

const insert = (text: string) => (view: EditorView) => view.dispatch(view.state.replaceSelection(text), { scrollIntoView: true });

const keys: Key[] = [
  { label: "⇥", title: "Indent (Tab)", run: (view) => void indentMore(view) },
  { label: "⇤", title: "Unindent", run: (view) => void indentLess(view) },
  { label: ":", title: "Colon", run: insert(":") },
  { label: "(", title: "Open parenthesis", run: insert("(") },
  { label: ")", title: "Close parenthesis", run: insert(")") },
  { label: "[", title: "Open bracket", run: insert("[") },
  { label: "]", title: "Close bracket", run: insert("]") },
  { label: "=", title: "Equals", run: insert("=") },
  { label: "_", title: "Underscore", run: insert("_") },
  { label: "#", title: "Comment", run: insert("#") },
];

export function createKeyBar(view: EditorView): HTMLElement {
  const bar = el("div", { class: "key-bar", role: "toolbar", "aria-label": "Extra keys" });
  for (const key of keys) {
    const button = el("button", { type: "button", class: "key", title: key.title, "aria-label": key.title, "data-key": key.label }, key.label);
    // Pressing a button would move focus away from the editor and close the phone's keyboard.
    button.addEventListener("mousedown", (event) => event.preventDefault());
    button.addEventListener("click", () => {
      key.run(view);
      view.focus();
    });
    bar.append(button);
  }
  return bar;
}
