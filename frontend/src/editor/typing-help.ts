/**
 * Help while typing: brackets and quotes that close themselves, and completion of the tree's names
 * (completions.ts). Loaded after the editor is already usable (a dynamic import, its own chunk):
 * @codemirror/autocomplete is ~12 KiB gzip a phone need not wait for before it can type.
 */
import { autocompletion, closeBrackets, closeBracketsKeymap, completionKeymap, insertBracket } from "@codemirror/autocomplete";
import { Prec, type Extension } from "@codemirror/state";
import { keymap, type EditorView } from "@codemirror/view";
import { treeCompletions } from "./completions.ts";

export function typingHelp(): Extension {
  return [
    closeBrackets(),
    autocompletion({ override: [treeCompletions], icons: false }),
    // Ahead of indentWithTab and Enter's newline, so they act on an open completion list first.
    Prec.high(keymap.of([...closeBracketsKeymap, ...completionKeymap])),
  ];
}

/** Types text as a keypress would: a bracket or quote also gets its closing partner. */
export function typeText(view: EditorView, text: string): void {
  const bracket = text.length === 1 ? insertBracket(view.state, text) : null;
  view.dispatch(bracket ?? view.state.update(view.state.replaceSelection(text), { scrollIntoView: true, userEvent: "input.type" }));
}
