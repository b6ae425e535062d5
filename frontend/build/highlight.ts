/**
 * Static Python highlighting for the docs, done at build time with the same Lezer grammar the editor
 * uses, so code looks the same in both and the docs page needs no script. Token classes are
 * `tok-*` (Lezer's classHighlighter); styles/app.css colours them.
 */
import { pythonLanguage } from "@codemirror/lang-python";
import { classHighlighter, highlightCode } from "@lezer/highlight";
import { escapeHtml } from "./markdown.ts";

export function highlightPython(code: string): string {
  let html = "";
  highlightCode(
    code,
    pythonLanguage.parser.parse(code),
    classHighlighter,
    (text, classes) => {
      html += classes === "" ? escapeHtml(text) : `<span class="${escapeHtml(classes)}">${escapeHtml(text)}</span>`;
    },
    () => {
      html += "\n";
    },
  );
  return html;
}
