import { describe, expect, test } from "vitest";
import { CappedLineReader, type LineEvent } from "./line-reader.ts";

const bytes = (text: string) => new TextEncoder().encode(text);
/** Lines as text, so expectations read as what was sent. */
const texts = (events: LineEvent[]) => events.map((event) => (event.kind === "line" ? { kind: "line", text: new TextDecoder().decode(event.bytes) } : event));

describe("CappedLineReader", () => {
  test("splits lines across chunk boundaries", () => {
    const reader = new CappedLineReader(100);
    expect(texts(reader.push(bytes("[1,2")))).toEqual([]);
    expect(texts(reader.push(bytes("]\n[3]\n[4")))).toEqual([
      { kind: "line", text: "[1,2]" },
      { kind: "line", text: "[3]" },
    ]);
    expect(texts(reader.end())).toEqual([{ kind: "line", text: "[4" }]);
  });

  test("reports an oversized line once, as soon as it passes the cap, and resumes after its newline", () => {
    const reader = new CappedLineReader(8);
    expect(texts(reader.push(bytes("0123456")))).toEqual([]);
    expect(texts(reader.push(bytes("789abcdef")))).toEqual([{ kind: "oversized", bytes: 16 }]);
    expect(texts(reader.push(bytes("more junk, still no newline")))).toEqual([]);
    expect(texts(reader.push(bytes("xyz\nok\n")))).toEqual([{ kind: "line", text: "ok" }]);
  });

  test("a sender that never writes a newline is reported without one", () => {
    const reader = new CappedLineReader(4);
    const events = [];
    for (let i = 0; i < 100; i++) events.push(...texts(reader.push(bytes("junk"))));
    expect(events).toEqual([{ kind: "oversized", bytes: 8 }]);
    expect(texts(reader.end())).toEqual([]);
  });

  test("a line of exactly the cap is accepted", () => {
    const reader = new CappedLineReader(4);
    expect(texts(reader.push(bytes("abcd\nabcde\n")))).toEqual([
      { kind: "line", text: "abcd" },
      { kind: "oversized", bytes: 5 },
    ]);
  });

  test("copies its input, so a reused buffer cannot change a pending line", () => {
    const reader = new CappedLineReader(100);
    const buffer = bytes("abc");
    reader.push(buffer);
    buffer.set(bytes("xyz"));
    expect(texts(reader.push(bytes("\n")))).toEqual([{ kind: "line", text: "abc" }]);
  });

  test("an unterminated oversized tail is reported once, not again at the end", () => {
    const reader = new CappedLineReader(2);
    expect(texts(reader.push(bytes("abcdef")))).toEqual([{ kind: "oversized", bytes: 6 }]);
    expect(texts(reader.end())).toEqual([]);
  });
});
