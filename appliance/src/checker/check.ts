/**
 * The upload-time check: one verdict per program, without running it. The
 * runner calls it before every run (unless a test skips it) and the upload
 * route before storing. Text rules first (text-rules.ts, in-process), then the
 * syntax and the language subset in a confined child (check-child.ts).
 * Any internal failure is a rejection: a program is accepted only when every
 * rule has positively passed.
 */
import { checkInChild } from "./check-child.ts";
import { maxUploadBytes } from "./limits.ts";
import { checkText, positionOf } from "./text-rules.ts";
import { rejection, type CheckVerdict } from "./verdict.ts";

export { maxUploadBytes } from "./limits.ts";
export type { CheckVerdict } from "./verdict.ts";

export interface CheckOptions {
  /** Nobody waits on this answer (a stored program checked again before its run): it yields its turn to checks somebody waits for. */
  background?: boolean;
}

/** Checks a program given as raw bytes (an uploaded file). */
export async function checkProgramBytes(bytes: Uint8Array, options: CheckOptions = {}): Promise<CheckVerdict> {
  const text = checkText(bytes);
  if (!text.ok) return text;
  return checkInChild(bytes, { maxInputBytes: maxUploadBytes, background: options.background });
}

function firstLoneSurrogate(source: string): number {
  for (let index = 0; index < source.length; index++) {
    const code = source.charCodeAt(index);
    if (code >= 0xd800 && code <= 0xdbff && index + 1 < source.length) {
      const next = source.charCodeAt(index + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        index += 1;
        continue;
      }
    }
    if (code >= 0xd800 && code <= 0xdfff) return index;
  }
  return 0;
}

/** Checks a program given as text (the editor's upload, a stored submission). */
export async function checkProgram(source: string, options: CheckOptions = {}): Promise<CheckVerdict> {
  if (!source.isWellFormed()) {
    const { line, column } = positionOf(source, firstLoneSurrogate(source));
    return rejection(line, column, "this line contains a broken character (half of a surrogate pair); retype the line");
  }
  return checkProgramBytes(new TextEncoder().encode(source), options);
}
