/**
 * The rules about the program's text, before Python reads it: size, UTF-8
 * only, no other coding cookie, no invisible or control characters. Pure and
 * fast; the syntax and the language subset are upload-check.py's.
 */
import { maxUploadBytes } from "./limits.ts";
import { firstInvalidUtf8 } from "./utf8.ts";
import { rejection, type CheckRejection } from "./verdict.ts";

export type TextCheck = { ok: true; text: string } | CheckRejection;

/**
 * Characters that change how code looks without being visible, or that
 * editors and Python disagree about: C0/C1 controls (NUL included) except
 * tab, newline, carriage return and form feed; every format character (the
 * bidi overrides and isolates U+202A-U+202E and U+2066-U+2069 that make
 * "Trojan Source" code read differently than it runs, zero-width spaces and
 * joiners, soft hyphens, a BOM inside the text, tag characters); the Unicode
 * line and paragraph separators, which editors show as line breaks and Python
 * does not; and the Hangul fillers, blank letters Python accepts in names.
 */
const hiddenCharacter = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\u115F\u1160\u3164\uFFA0]/u;
const allowedControls = new Set(["\t", "\n", "\r", "\f"]);
const hiddenNames: Record<number, string> = {
  0x00: "NUL, a zero byte",
  0x200b: "ZERO WIDTH SPACE",
  0x200d: "ZERO WIDTH JOINER",
  0x200e: "LEFT-TO-RIGHT MARK",
  0x200f: "RIGHT-TO-LEFT MARK",
  0x202a: "LEFT-TO-RIGHT EMBEDDING",
  0x202b: "RIGHT-TO-LEFT EMBEDDING",
  0x202c: "POP DIRECTIONAL FORMATTING",
  0x202d: "LEFT-TO-RIGHT OVERRIDE",
  0x202e: "RIGHT-TO-LEFT OVERRIDE",
  0x2066: "LEFT-TO-RIGHT ISOLATE",
  0x2067: "RIGHT-TO-LEFT ISOLATE",
  0x2068: "FIRST STRONG ISOLATE",
  0x2069: "POP DIRECTIONAL ISOLATE",
  0x2028: "LINE SEPARATOR",
  0x2029: "PARAGRAPH SEPARATOR",
  0xfeff: "BYTE ORDER MARK",
  0x3164: "HANGUL FILLER",
};

/** PEP 263's cookie, looked for on the first two lines as Python does. */
const codingCookie = /^[ \t\f]*#.*?coding[:=][ \t]*([-\w.]+)/;
const utf8Names = new Set(["utf-8", "utf8", "utf_8"]);

/** Python ends a line at \r\n, \r or \n; line numbers must agree with its. */
const lineBreak = /\r\n|\r|\n/g;

/** 1-based line and character column of a UTF-16 index into `text`. */
export function positionOf(text: string, index: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  lineBreak.lastIndex = 0;
  for (let match = lineBreak.exec(text); match !== null && match.index < index; match = lineBreak.exec(text)) {
    line += 1;
    lineStart = match.index + match[0].length;
  }
  return { line, column: [...text.slice(lineStart, index)].length + 1 };
}

function lineOfByte(bytes: Uint8Array, offset: number): number {
  let line = 1;
  for (let index = 0; index < offset; index++) {
    const byte = bytes[index];
    if (byte === 0x0a || (byte === 0x0d && bytes[index + 1] !== 0x0a)) line += 1;
  }
  return line;
}

function codePointName(codePoint: number): string {
  const hex = `U+${codePoint.toString(16).toUpperCase().padStart(4, "0")}`;
  const name = hiddenNames[codePoint];
  return name === undefined ? hex : `${hex} (${name})`;
}

function firstHiddenCharacter(text: string): number {
  const pattern = new RegExp(hiddenCharacter.source, "gu");
  for (let match = pattern.exec(text); match !== null; match = pattern.exec(text)) {
    if (!allowedControls.has(match[0])) return match.index;
  }
  return -1;
}

function checkCodingCookie(text: string): CheckRejection | undefined {
  const firstLines = text.split(/\r\n|\r|\n/, 2);
  for (const [index, line] of firstLines.entries()) {
    const name = codingCookie.exec(line)?.[1];
    if (name !== undefined && !utf8Names.has(name.toLowerCase())) {
      return rejection(
        index + 1,
        1,
        `this comment declares the encoding "${name}"; programs on the tree must be UTF-8 ` +
          `(another encoding can hide code from this check), so delete the line or write "# coding: utf-8"`,
      );
    }
  }
  return undefined;
}

export function checkText(bytes: Uint8Array): TextCheck {
  if (bytes.length > maxUploadBytes) {
    return rejection(
      lineOfByte(bytes, maxUploadBytes),
      1,
      `the program is ${bytes.length} bytes and passes the limit of ${maxUploadBytes} bytes (64 KiB) ` +
        `on this line; make it shorter, for example with loops and functions instead of repeated lines`,
    );
  }
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) {
    return rejection(
      1,
      1,
      `the file starts with an invisible byte order mark (BOM), which Python cannot run here; ` +
        `save it as "UTF-8" without BOM, or paste the code into the editor`,
    );
  }
  const invalid = firstInvalidUtf8(bytes);
  if (invalid !== -1) {
    return rejection(
      lineOfByte(bytes, invalid),
      1,
      `this line has bytes that are not UTF-8 text; save the file as UTF-8 (the editor on the tree does this for you)`,
    );
  }
  const text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  const hidden = firstHiddenCharacter(text);
  if (hidden !== -1) {
    const { line, column } = positionOf(text, hidden);
    const what = codePointName(text.codePointAt(hidden)!);
    return rejection(
      line,
      column,
      `this line contains the invisible character ${what}; invisible and control characters can make ` +
        `code look different from what runs, so delete it (retype the line if you cannot see it)`,
    );
  }
  return checkCodingCookie(text) ?? { ok: true, text };
}
