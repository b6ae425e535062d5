/**
 * Marks one error in the editor: a wavy underline at the reported place, a tinted line, and the
 * message itself in a note under that line (the traceback's full text as its tooltip), so a
 * runtime error or a check error reads where the code is. A few lines instead of @codemirror/lint,
 * which would add ~10 KiB gzip to every phone's download for panels this page does not use.
 */
import { StateEffect, StateField, type Range } from "@codemirror/state";
import { Decoration, EditorView, WidgetType, type DecorationSet } from "@codemirror/view";

export interface ErrorMark {
  from: number;
  to: number;
  message: string;
  /** Longer text for the note's tooltip (a traceback); default: the message. */
  detail?: string;
  /** "check" (found before running) or "runtime" (raised while running): the note says which. */
  kind?: "check" | "runtime";
}

export const setErrorMark = StateEffect.define<ErrorMark | null>();

const underline = (message: string) => Decoration.mark({ class: "cm-error-mark", attributes: { title: message } });
const errorLine = Decoration.line({ class: "cm-error-line" });

/** The note under the marked line. Text only: a traceback is the visitor's data, never markup. */
class ErrorNote extends WidgetType {
  constructor(
    readonly text: string,
    readonly detail: string,
    readonly kind: string,
  ) {
    super();
  }

  override eq(other: ErrorNote): boolean {
    return other.text === this.text && other.detail === this.detail && other.kind === this.kind;
  }

  toDOM(): HTMLElement {
    const note = document.createElement("div");
    note.className = `cm-error-note cm-error-note-${this.kind}`;
    note.setAttribute("role", "note");
    note.title = this.detail;
    note.textContent = this.text;
    return note;
  }

  override ignoreEvent(): boolean {
    return false;
  }
}

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
      const { from, to, message, detail, kind = "check" } = effect.value;
      const line = transaction.state.doc.lineAt(from);
      const ranges: Range<Decoration>[] = [errorLine.range(line.from)];
      if (to > from) ranges.push(underline(detail ?? message).range(from, to));
      const note = Decoration.widget({ widget: new ErrorNote(message, detail ?? message, kind), block: true, side: 1 });
      ranges.push(note.range(line.to));
      next = Decoration.set(ranges, true);
    }
    return next;
  },
  provide: (field) => EditorView.decorations.from(field),
});
