/**
 * A row of keys phone keyboards hide: indentation (Python needs it, phones have no Tab), the
 * brackets, quotes, comma and operators that sit a layer or two deep, and undo. Buttons keep the
 * editor focused, so the on-screen keyboard stays open. Brackets and quotes go through the same
 * auto-closing as typed ones.
 */
import { indentLess, indentMore, undo } from "@codemirror/commands";
import type { EditorView } from "@codemirror/view";
import { el } from "../shared/dom.ts";

interface Key {
  label: string;
  title: string;
  run(view: EditorView): void;
}

/** Until typing help has loaded, a key just inserts its text (the editor works without it). */
let typeText = (view: EditorView, text: string) => view.dispatch(view.state.replaceSelection(text), { scrollIntoView: true, userEvent: "input.type" });
void import("./typing-help.ts").then((help) => (typeText = help.typeText), () => undefined);

const insert = (text: string) => (view: EditorView) => typeText(view, text);

const keys: Key[] = [
  { label: "⇥", title: "Indent (Tab)", run: (view) => void indentMore(view) },
  { label: "⇤", title: "Unindent", run: (view) => void indentLess(view) },
  { label: "↶", title: "Undo", run: (view) => void undo(view) },
  { label: ":", title: "Colon", run: insert(":") },
  { label: "(", title: "Open parenthesis", run: insert("(") },
  { label: ")", title: "Close parenthesis", run: insert(")") },
  { label: "[", title: "Open bracket", run: insert("[") },
  { label: "]", title: "Close bracket", run: insert("]") },
  { label: ",", title: "Comma", run: insert(",") },
  { label: '"', title: "Double quote", run: insert('"') },
  { label: "'", title: "Single quote", run: insert("'") },
  { label: "=", title: "Equals", run: insert("=") },
  { label: "+", title: "Plus", run: insert("+") },
  { label: "-", title: "Minus", run: insert("-") },
  { label: "*", title: "Times", run: insert("*") },
  { label: "/", title: "Divide", run: insert("/") },
  { label: "<", title: "Less than", run: insert("<") },
  { label: ">", title: "Greater than", run: insert(">") },
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
