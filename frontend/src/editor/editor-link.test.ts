import { describe, expect, it } from "vitest";
import { codeFromFragment, editorLinkForCode, editorLinkForExample, maxLinkedCodeChars } from "./editor-link.ts";
import { examples } from "./examples.ts";

function fragmentOf(link: string): string {
  return new URL(link, "http://tree.local").hash;
}

describe("links into the editor", () => {
  it("carry any program through the fragment unchanged", () => {
    const code = 'print("a & b < c # 100%")\nx = [1, 2]  # \'quotes\' \u00e9\n';
    expect(codeFromFragment(fragmentOf(editorLinkForCode(code)), examples)).toEqual({ kind: "code", code, label: "the code from the link" });
  });

  it("open every starter example by its id", () => {
    for (const example of examples) {
      expect(codeFromFragment(fragmentOf(editorLinkForExample(example)), examples)).toEqual({ kind: "code", code: example.code, label: `“${example.title}”` });
    }
  });

  it("ask for nothing without a known key, and explain a broken or unknown link", () => {
    expect(codeFromFragment("", examples)).toBeUndefined();
    expect(codeFromFragment("#main", examples)).toBeUndefined();
    expect(codeFromFragment("#other=1", examples)).toBeUndefined();
    expect(codeFromFragment("#code=%E0%A4%A", examples)).toMatchObject({ kind: "error", message: expect.stringContaining("damaged") });
    expect(codeFromFragment("#example=nope", examples)).toMatchObject({ kind: "error", message: expect.stringContaining("does not exist") });
    expect(codeFromFragment(`#code=${"x".repeat(maxLinkedCodeChars + 1)}`, examples)).toMatchObject({ kind: "error" });
  });
});
