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

  test("reports an oversized line once, as soon as it passes the cap, and resumes after its newline", () => {
    const reader = new CappedLineReader(8);
    expect(reader.push(bytes("0123456"))).toEqual([]);
    expect(reader.push(bytes("789abcdef"))).toEqual([{ kind: "oversized", bytes: 16 }]);
    expect(reader.push(bytes("more junk, still no newline"))).toEqual([]);
    expect(reader.push(bytes("xyz\nok\n"))).toEqual([{ kind: "line", text: "ok" }]);
  });

  test("a sender that never writes a newline is reported without one", () => {
    const reader = new CappedLineReader(4);
    const events = [];
    for (let i = 0; i < 100; i++) events.push(...reader.push(bytes("junk")));
    expect(events).toEqual([{ kind: "oversized", bytes: 8 }]);
    expect(reader.end()).toEqual([]);
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

  test("an unterminated oversized tail is reported once, not again at the end", () => {
    const reader = new CappedLineReader(2);
    expect(reader.push(bytes("abcdef"))).toEqual([{ kind: "oversized", bytes: 6 }]);
    expect(reader.end()).toEqual([]);
  });
});
