import { describe, expect, test } from "vitest";
import { CappedLineReader } from "./line-reader.ts";

const bytes = (text: string) => new TextEncoder().encode(text);

describe("CappedLineReader", () => {
  test("splits lines across chunk boundaries", () => {
    const reader = new CappedLineReader(100);
    expect(reader.push(bytes("[1,2"))).toEqual([]);
    expect(reader.push(bytes("]\n[3]\n[4"))).toEqual([
      { kind: "line", text: "[1,2]" },
      { kind: "line", text: "[3]" },
    ]);
    expect(reader.end()).toEqual([{ kind: "line", text: "[4" }]);
  });

  test("reports an oversized line once and resumes after its newline", () => {
    const reader = new CappedLineReader(8);
    const events = [...reader.push(bytes("0123456")), ...reader.push(bytes("789abcdef")), ...reader.push(bytes("xyz\nok\n"))];
    expect(events).toEqual([
      { kind: "oversized", bytes: 19 },
      { kind: "line", text: "ok" },
    ]);
  });

  test("a line of exactly the cap is accepted", () => {
    const reader = new CappedLineReader(4);
    expect(reader.push(bytes("abcd\nabcde\n"))).toEqual([
      { kind: "line", text: "abcd" },
      { kind: "oversized", bytes: 5 },
    ]);
  });

  test("copies its input, so a reused buffer cannot change a pending line", () => {
    const reader = new CappedLineReader(100);
    const buffer = bytes("abc");
    reader.push(buffer);
    buffer.set(bytes("xyz"));
    expect(reader.push(bytes("\n"))).toEqual([{ kind: "line", text: "abc" }]);
  });

  test("an unterminated oversized tail is still reported at the end", () => {
    const reader = new CappedLineReader(2);
    expect(reader.push(bytes("abcdef"))).toEqual([]);
    expect(reader.end()).toEqual([{ kind: "oversized", bytes: 6 }]);
  });
});
