import { describe, expect, it } from "vitest";
import { renderInline, renderMarkdown, safeHref } from "./markdown.ts";

describe("renderMarkdown", () => {
  it("renders headings with unique anchor ids", () => {
    expect(renderMarkdown("# Hello *world*\n\n## Limits\n\n## Limits")).toBe(
      '<h1 id="hello-world">Hello <em>world</em></h1>\n<h2 id="limits">Limits</h2>\n<h2 id="limits-1">Limits</h2>',
    );
  });

  it("joins paragraph lines and separates paragraphs at blank lines", () => {
    expect(renderMarkdown("one\ntwo\n\nthree")).toBe("<p>one two</p>\n<p>three</p>");
  });

  it("keeps fenced code verbatim, escaped, with its language", () => {
    const html = renderMarkdown("```python\nif a < b and c > d:\n    print('<b>')\n```");
    expect(html).toBe(
      '<pre tabindex="0"><code class="language-python">if a &lt; b and c &gt; d:\n    print(&#39;&lt;b&gt;&#39;)</code></pre>',
    );
  });

  it("uses the highlighter for code blocks when given", () => {
    const html = renderMarkdown("```python\nx = 1\n```", { highlight: (code, lang) => `[${lang}:${code}]` });
    expect(html).toBe('<pre tabindex="0"><code class="language-python">[python:x = 1]</code></pre>');
  });

  it("puts what afterCode returns right after each code block, given the raw code", () => {
    const seen: string[] = [];
    const html = renderMarkdown("```python\nx = '<1>'\n```\ntext", {
      afterCode: (code, language) => {
        seen.push(`${language}:${code}`);
        return "<p>after</p>";
      },
    });
    expect(seen).toEqual(["python:x = '<1>'"]);
    expect(html).toBe('<pre tabindex="0"><code class="language-python">x = &#39;&lt;1&gt;&#39;</code></pre><p>after</p>\n<p>text</p>');
  });

  it("renders bullet, numbered and nested lists", () => {
    const html = renderMarkdown("- a\n- b\n  - b1\n  - b2\n- c\n\n1. one\n2. two");
    expect(html).toBe("<ul><li>a</li><li>b<ul><li>b1</li><li>b2</li></ul></li><li>c</li></ul>\n<ol><li>one</li><li>two</li></ol>");
  });

  it("renders tables with inline markup and escaped pipes in code", () => {
    const html = renderMarkdown("| name | what |\n|---|:---:|\n| `a \\| b` | **x** |");
    expect(html).toBe(
      '<div class="table-wrap"><table><thead><tr><th>name</th><th class="align-center">what</th></tr></thead>' +
        '<tbody><tr><td><code>a | b</code></td><td class="align-center"><strong>x</strong></td></tr></tbody></table></div>',
    );
  });

  it("renders block quotes and rules", () => {
    expect(renderMarkdown("> **Note** be kind\n\n---")).toBe("<blockquote><p><strong>Note</strong> be kind</p></blockquote>\n<hr>");
  });

  it("shows raw HTML as text instead of passing it through", () => {
    const html = renderMarkdown('<script>alert(1)</script>\n\n<img src=x onerror="alert(1)">');
    expect(html).not.toContain("<script");
    expect(html).not.toContain("<img");
    expect(html).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
  });

  it("escapes attribute breakouts in code block languages and links", () => {
    const html = renderMarkdown('```py"onmouseover=x\ncode\n```\n\n[a](/x"onclick="y)');
    expect(html).not.toMatch(/"\s*on\w+=/);
  });
});

describe("renderInline", () => {
  it("renders code spans literally, even markup inside them", () => {
    expect(renderInline("use `setLEDs([[0, 0, 255, 100]] * n)` and `**not bold**`")).toBe(
      "use <code>setLEDs([[0, 0, 255, 100]] * n)</code> and <code>**not bold**</code>",
    );
  });

  it("leaves identifiers with underscores alone", () => {
    expect(renderInline("led_count and max_frame_rate")).toBe("led_count and max_frame_rate");
  });

  it("renders safe links and drops dangerous ones to their label", () => {
    expect(renderInline("[docs](/docs#limits)")).toBe('<a href="/docs#limits">docs</a>');
    expect(renderInline("[x](https://example.org/a_(b))")).toBe('<a href="https://example.org/a_(b)">x</a>');
    expect(renderInline("[click](javascript:alert(1))")).toBe("click");
    expect(renderInline("[click](JaVaScRiPt:alert(1))")).toBe("click");
    expect(renderInline("[click](data:text/html,hi)")).toBe("click");
  });

  it("keeps backslash-escaped characters literal", () => {
    expect(renderInline("\\*not em\\*")).toBe("*not em*");
  });
});

describe("safeHref", () => {
  it("refuses schemes hidden behind control characters", () => {
    expect(safeHref("java\tscript:alert(1)")).toBeUndefined();
    expect(safeHref("vbscript:x")).toBeUndefined();
    expect(safeHref("mailto:a@b.c")).toBe("mailto:a@b.c");
    expect(safeHref("../runner/README.md")).toBe("../runner/README.md");
  });
});
