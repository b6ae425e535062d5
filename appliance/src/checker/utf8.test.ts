import { describe, expect, test } from "vitest";
import { firstInvalidUtf8 } from "./utf8.ts";

const bytes = (...values: number[]) => Uint8Array.from(values);

describe("firstInvalidUtf8", () => {
  test("valid text of every length is accepted", () => {
    expect(firstInvalidUtf8(new TextEncoder().encode("a é € 🎄 \u{10FFFF}"))).toBe(-1);
    expect(firstInvalidUtf8(bytes())).toBe(-1);
  });

  test.each([
    ["a lone continuation byte", bytes(0x41, 0x80), 1],
    ["an overlong slash", bytes(0x41, 0xc0, 0xaf), 1],
    ["an overlong three-byte form", bytes(0xe0, 0x80, 0xaf), 0],
    ["a UTF-16 surrogate", bytes(0xed, 0xa0, 0x80), 0],
    ["a code point above U+10FFFF", bytes(0xf4, 0x90, 0x80, 0x80), 0],
    ["a truncated sequence at the end", bytes(0x41, 0x42, 0xe2, 0x82), 2],
    ["a latin-1 é", bytes(0x63, 0x61, 0x66, 0xe9), 3],
    ["0xFF", bytes(0xff), 0],
  ])("%s is found at its offset", (_name, input, offset) => {
    expect(firstInvalidUtf8(input)).toBe(offset);
  });

  test("agrees with a fatal TextDecoder on every two-byte sequence", () => {
    const decoder = new TextDecoder("utf-8", { fatal: true });
    const disagreements: string[] = [];
    for (let first = 0; first < 256; first++) {
      for (let second = 0; second < 256; second++) {
        const input = bytes(first, second, 0x80, 0x80);
        let valid = true;
        try {
          decoder.decode(input);
        } catch {
          valid = false;
        }
        if ((firstInvalidUtf8(input) === -1) !== valid) disagreements.push(`${first.toString(16)} ${second.toString(16)}`);
      }
    }
    expect(disagreements).toEqual([]);
  });
});
