/**
 * The CodeMirror 6 editor, assembled from only the parts the page uses (no basicSetup: no search
 * panel or folding to download on a phone). Completion offers only the tree's own names
 * (completions.ts); brackets and quotes close themselves. Both arrive a moment after the editor
 * works (typing-help.ts, loaded on its own).
 */
import { defaultKeymap, history, historyKeymap, indentWithTab } from "@codemirror/commands";
import { pythonLanguage } from "@codemirror/lang-python";
import { bracketMatching, indentOnInput, indentUnit, LanguageSupport, syntaxHighlighting } from "@codemirror/language";
import { Compartment, EditorState } from "@codemirror/state";
import { drawSelection, EditorView, highlightActiveLine, highlightActiveLineGutter, keymap, lineNumbers } from "@codemirror/view";
import { classHighlighter } from "@lezer/highlight";
import { errorRange, firstCodeColumn } from "./diagnostics.ts";
import { errorMarks, setErrorMark } from "./error-marks.ts";

export interface ErrorOptions {
  quiet?: boolean;
  /** The note's tooltip: a traceback's full text. */
  detail?: string;
  kind?: "check" | "runtime";
}

export interface CodeEditor {
  view: EditorView;
  getCode(): string;
  /** Replaces the whole program as one undoable change. */
  setCode(code: string): void;
  /**
   * Marks an error at its line and column (1-based; null: the line's first code, as for a runtime
   * error), with the message in a note under the line. Scrolls it into view and moves the cursor
   * there unless `quiet` (checks while typing must not move the visitor's cursor).
   */
  showError(line: number, column: number | null, message: string, options?: ErrorOptions): void;
  clearErrors(): void;
}

/**
 * CodeMirror styles itself through style-mod, which writes a <style> element into a document (refused
 * by our CSP: no inline styles) but uses a constructed stylesheet inside a shadow root (allowed). So
 * the editor lives in a shadow root, which gets the page's own stylesheet linked in as well.
 */
function shadowHost(host: HTMLElement): { root: ShadowRoot; parent: HTMLElement } {
  const root = host.attachShadow({ mode: "open" });
  for (const link of document.querySelectorAll<HTMLLinkElement>('link[rel="stylesheet"]')) root.append(link.cloneNode());
  const parent = document.createElement("div");
  parent.className = "code-editor-root";
  root.append(parent);
  return { root, parent };
}

/** Where typing help (typing-help.ts) goes once it has loaded. */
const typingHelpSlot = new Compartment();

export function createCodeEditor(host: HTMLElement, initialCode: string, onChange: (code: string) => void): CodeEditor {
  let hasErrors = false;
  const { root, parent } = shadowHost(host);
  const view = new EditorView({
    parent,
    root,
    state: EditorState.create({
      doc: initialCode,
      extensions: [
        lineNumbers(),
        highlightActiveLineGutter(),
        highlightActiveLine(),
        history(),
        drawSelection(),
        indentOnInput(),
        indentUnit.of("    "),
        bracketMatching(),
        // The grammar without python()'s completion sources: completion offers the tree's names only.
        new LanguageSupport(pythonLanguage),
        typingHelpSlot.of([]),
        syntaxHighlighting(classHighlighter),
        errorMarks,
        keymap.of([...defaultKeymap, ...historyKeymap, indentWithTab]),
        // Long lines wrap: on a phone a line wider than the screen would scroll the code's start away.
        EditorView.lineWrapping,
        // tabindex: the content is focusable anyway (contenteditable); saying so lets checkers such as
        // axe see that the scrolling editor can be reached with the keyboard.
        EditorView.contentAttributes.of({ "aria-label": "Python program", autocapitalize: "off", autocorrect: "off", spellcheck: "false", tabindex: "0" }),
        EditorView.updateListener.of((update) => {
          if (!update.docChanged) return;
          onChange(update.state.doc.toString());
          // A check error describes the program as it was sent; once edited it may no longer apply.
          if (hasErrors) {
            hasErrors = false;
            update.view.dispatch({ effects: setErrorMark.of(null) });
          }
        }),
      ],
    }),
  });

  void import("./typing-help.ts").then(
    ({ typingHelp }) => view.dispatch({ effects: typingHelpSlot.reconfigure(typingHelp()) }),
    () => undefined, // a failed download leaves a plain editor, which is fine
  );

  return {
    view,
    getCode: () => view.state.doc.toString(),
    setCode(code) {
      view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: code }, selection: { anchor: 0 }, scrollIntoView: true });
    },
    showError(lineNumber, column, message, options = {}) {
      const doc = view.state.doc;
      const line = doc.line(Math.min(Math.max(1, lineNumber), doc.lines));
      const range = errorRange(line, column ?? firstCodeColumn(line.text));
      const mark = setErrorMark.of({ ...range, message, detail: options.detail, kind: options.kind });
      if (options.quiet === true) view.dispatch({ effects: mark });
      else view.dispatch({ selection: { anchor: range.from }, effects: [mark, EditorView.scrollIntoView(range.from, { y: "center" })] });
      hasErrors = true;
    },
    clearErrors() {
      if (!hasErrors) return;
      hasErrors = false;
      view.dispatch({ effects: setErrorMark.of(null) });
    },
  };
}
