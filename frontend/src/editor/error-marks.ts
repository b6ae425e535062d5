/**
 * Marks one check error in the editor: a wavy underline at the reported place and a tinted line.
 * A few lines instead of @codemirror/lint, which would add ~10 KiB gzip to every phone's download
 * for panels and tooltips this page does not use (the message box says what is wrong).
 */
import { StateEffect, StateField, type Range } from "@codemirror/state";
import { Decoration, EditorView, type DecorationSet } from "@codemirror/view";

export interface ErrorMark {
  from: number;
  to: number;
  message: string;
}

export const setErrorMark = StateEffect.define<ErrorMark | null>();

const underline = (message: string) => Decoration.mark({ class: "cm-error-mark", attributes: { title: message } });
const errorLine = Decoration.line({ class: "cm-error-line" });

export const errorMarks = StateField.define<DecorationSet>({
  create: () => Decoration.none,
  update(marks, transaction) {
    let next = marks.map(transaction.changes);
    for (const effect of transaction.effects) {
      if (!effect.is(setErrorMark)) continue;
      if (effect.value === null) {
        next = Decoration.none;
        continue;
      }
      const { from, to, message } = effect.value;
      const line = transaction.state.doc.lineAt(from);
      const ranges: Range<Decoration>[] = [errorLine.range(line.from)];
      if (to > from) ranges.push(underline(message).range(from, to));
      next = Decoration.set(ranges, true);
    }
    return next;
  },
  provide: (field) => EditorView.decorations.from(field),
});
