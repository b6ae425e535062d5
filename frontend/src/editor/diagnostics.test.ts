import { describe, expect, it } from "vitest";
import { errorRange, firstCodeColumn } from "./diagnostics.ts";

describe("errorRange", () => {
  it("underlines the word at a 1-based column", () => {
    expect(errorRange({ from: 10, text: "import os" }, 8)).toEqual({ from: 17, to: 19 });
    expect(errorRange({ from: 0, text: "import os" }, 1)).toEqual({ from: 0, to: 6 });
  });

  it("counts columns in characters, not UTF-16 units", () => {
    // "🎄" is one character but two UTF-16 units.
    expect(errorRange({ from: 0, text: "x = '🎄' + bad" }, 11)).toEqual({ from: 11, to: 14 });
  });

  it("marks one character for punctuation and the last character past the end", () => {
    expect(errorRange({ from: 0, text: "x = (1" }, 5)).toEqual({ from: 4, to: 5 });
    expect(errorRange({ from: 5, text: "if x" }, 5)).toEqual({ from: 8, to: 9 });
    expect(errorRange({ from: 5, text: "if x" }, 99)).toEqual({ from: 8, to: 9 });
  });

  it("copes with an empty line", () => {
    expect(errorRange({ from: 3, text: "" }, 1)).toEqual({ from: 3, to: 3 });
  });
});

describe("firstCodeColumn", () => {
  it("skips the indentation, so a runtime error underlines the statement", () => {
    expect(firstCodeColumn("    setLEDs(x)")).toBe(5);
    expect(firstCodeColumn("\tx = 1")).toBe(2);
    expect(firstCodeColumn("x")).toBe(1);
    expect(firstCodeColumn("   ")).toBe(1);
  });
});
