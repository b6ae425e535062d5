import { describe, expect, test } from "vitest";
import { maxUploadBytes } from "./limits.ts";
import { checkText, positionOf } from "./text-rules.ts";

const encode = (text: string) => new TextEncoder().encode(text);

function rejected(input: Uint8Array | string) {
  const verdict = checkText(typeof input === "string" ? encode(input) : input);
  if (verdict.ok) throw new Error("expected a rejection");
  return verdict;
}

describe("positionOf", () => {
  test("counts lines the way Python does: \\r\\n, \\r and \\n each end one line", () => {
    const text = "a\r\nb\rc\nd";
    expect(positionOf(text, text.indexOf("d"))).toEqual({ line: 4, column: 1 });
    expect(positionOf(text, text.indexOf("c"))).toEqual({ line: 3, column: 1 });
  });

  test("counts columns in characters, an emoji being one", () => {
    const text = "x = '🎄'; y";
    expect(positionOf(text, text.indexOf("y"))).toEqual({ line: 1, column: 10 });
  });
});

describe("checkText", () => {
  test("plain UTF-8 passes and comes back decoded", () => {
    expect(checkText(encode("print('héllo 🎄')\n"))).toEqual({ ok: true, text: "print('héllo 🎄')\n" });
  });

  test(`a program of exactly maxUploadBytes passes, one byte more is rejected`, () => {
    const exact = "#".repeat(maxUploadBytes);
    expect(checkText(encode(exact)).ok).toBe(true);
    const verdict = rejected(`${exact}#`);
    expect(verdict.error).toContain(`limit of ${maxUploadBytes} bytes`);
    expect(verdict.line).toBe(1);
  });

  test("the size rejection names the line where the limit is passed", () => {
    const line = `${"x = 1".padEnd(99, " ")}\n`;
    const verdict = rejected(line.repeat(Math.ceil(maxUploadBytes / 100) + 5));
    expect(verdict.line).toBe(Math.floor(maxUploadBytes / 100) + 1);
    expect(verdict.error).toMatch(/^line \d+: /);
  });

  test("a coding cookie naming UTF-7 is rejected on its line", () => {
    const verdict = rejected("# -*- coding: utf-7 -*-\nx = 1 +ACM- y\n");
    expect(verdict).toMatchObject({ line: 1, column: 1 });
    expect(verdict.error).toContain('"utf-7"');
    expect(rejected("#!/usr/bin/env python3\n# vim: set fileencoding=latin-1 :\n").line).toBe(2);
  });

  test("a coding cookie naming UTF-8 is fine, in any of Python's spellings", () => {
    for (const name of ["utf-8", "UTF-8", "utf8", "utf_8"]) expect(checkText(encode(`# coding: ${name}\nx = 1\n`)).ok).toBe(true);
  });

  test("a cookie on the third line is not one, as for Python", () => {
    expect(checkText(encode("x = 1\ny = 2\n# coding: utf-7\n")).ok).toBe(true);
  });

  test("a byte order mark at the start is rejected with what to do", () => {
    const verdict = rejected(Uint8Array.from([0xef, 0xbb, 0xbf, ...encode("x = 1\n")]));
    expect(verdict.line).toBe(1);
    expect(verdict.error).toContain("without BOM");
  });

  test("bytes that are not UTF-8 are rejected naming their line", () => {
    const verdict = rejected(Uint8Array.from([...encode("x = 1\r\ny = 2\nz = '"), 0xe9, 0x27]));
    expect(verdict.line).toBe(3);
    expect(verdict.error).toContain("not UTF-8");
  });

  test("a NUL byte is rejected with its line and column", () => {
    const verdict = rejected("x = 1\ny = '\0'\n");
    expect(verdict).toMatchObject({ line: 2, column: 6 });
    expect(verdict.error).toContain("NUL");
  });

  test.each([0x202a, 0x202b, 0x202c, 0x202d, 0x202e, 0x2066, 0x2067, 0x2068, 0x2069])(
    "the bidi control U+%s is rejected",
    (codePoint) => {
      const verdict = rejected(`ok = 1\nif ok: # ${String.fromCodePoint(codePoint)} comment\n  pass\n`);
      expect(verdict.line).toBe(2);
      expect(verdict.column).toBe(10);
      expect(verdict.error).toContain(`U+${codePoint.toString(16).toUpperCase()}`);
    },
  );

  test.each([
    ["zero width space", "\u200b"],
    ["zero width joiner", "\u200d"],
    ["right-to-left mark", "\u200f"],
    ["soft hyphen", "\u00ad"],
    ["BOM inside the text", "\ufeff"],
    ["line separator", "\u2028"],
    ["paragraph separator", "\u2029"],
    ["Hangul filler (a blank letter allowed in names)", "\u3164"],
    ["escape", "\u001b"],
    ["delete", "\u007f"],
    ["C1 control", "\u0085"],
    ["tag character", "\u{E0041}"],
  ])("the invisible %s is rejected", (_name, character) => {
    expect(rejected(`x${character} = 1\n`).error).toContain("invisible character");
  });

  test("tab, carriage return and form feed are ordinary", () => {
    expect(checkText(encode("if True:\r\n\tx = 1\r\n\f\ny = 2\r")).ok).toBe(true);
  });

  test("visible non-ASCII text (accents, emoji, CJK) is fine", () => {
    expect(checkText(encode("print('Frohe Weihnachten, café, 圣诞快乐 🎄✨')\n")).ok).toBe(true);
  });
});
