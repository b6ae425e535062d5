import { describe, expect, it } from "vitest";
import { AppError } from "../../errors.ts";
import { cleanTitle, galleryTitleMaxChars } from "./title.ts";

const refusal = (raw: string) => {
  try {
    cleanTitle(raw);
  } catch (error) {
    if (error instanceof AppError) return error.message;
    throw error;
  }
  return null;
};

describe("cleanTitle", () => {
  it("trims, allows none, and counts characters as a person does", () => {
    expect(cleanTitle(undefined)).toBe("");
    expect(cleanTitle("   ")).toBe("");
    expect(cleanTitle("  Snow falling  ")).toBe("Snow falling");
    // A flag, a family and accented letters: emoji joiners are ordinary text in a title.
    expect(cleanTitle("🇩🇪 👨‍👩‍👧 Crème brûlée")).toBe("🇩🇪 👨‍👩‍👧 Crème brûlée");
    expect(cleanTitle("é".repeat(galleryTitleMaxChars))).toHaveLength(galleryTitleMaxChars);
    expect(refusal("🎄".repeat(galleryTitleMaxChars + 1))).toMatch(/at most 60 characters, this one has 61/);
  });

  it("refuses control characters and every direction control, naming the character", () => {
    for (const control of ["\n", "\r", "\t", "\u0000", "\u007F", "\u0085", "\u2028", "\u2029"]) {
      expect(refusal(`a${control}b`), JSON.stringify(control)).toMatch(/on one line/);
    }
    for (const direction of ["\u061C", "\u200E", "\u200F", "\u202A", "\u202B", "\u202C", "\u202D", "\u202E", "\u2066", "\u2067", "\u2068", "\u2069"]) {
      const code = `U+${direction.codePointAt(0)!.toString(16).toUpperCase().padStart(4, "0")}`;
      expect(refusal(`a${direction}b`), code).toContain(`text-direction character ${code}`);
    }
  });

  it("leaves markup as the text it is (the pages show it as text)", () => {
    expect(cleanTitle(`<script>alert("x")</script>`)).toBe(`<script>alert("x")</script>`);
  });
});
