import { describe, expect, it } from "vitest";
import { loadAssets } from "./assets.ts";
import { reportSizes } from "./build.ts";
import { editorPageGzipBudgetBytes } from "./build/budget.ts";
import { pages } from "./build/pages.ts";
import { examples } from "./src/editor/examples.ts";

const assets = await loadAssets();
const decoder = new TextDecoder();
const text = (path: string) => decoder.decode(assets.get(path)!.body);
const htmlPaths = pages.flatMap((page) => page.paths);

describe("loadAssets", () => {
  it("serves every page as HTML", () => {
    for (const path of htmlPaths) {
      expect(assets.get(path)?.contentType, path).toBe("text/html; charset=utf-8");
      expect(text(path), path).toMatch(/^<!doctype html>/);
    }
  });

  it("keeps every other file under /assets/ with a content hash in its name", () => {
    for (const path of assets.keys()) {
      if (htmlPaths.includes(path)) continue;
      expect(path).toMatch(/^\/assets\/[a-z]+-[a-z0-9]+\.(js|css|svg)$/);
    }
  });

  it("links only files that exist, including chunks imported by scripts", () => {
    for (const [path, asset] of assets) {
      if (!/html|javascript/.test(asset.contentType)) continue;
      const body = decoder.decode(asset.body);
      for (const match of body.matchAll(/(?:src|href)="(\/assets\/[^"]+)"/g)) expect(assets.has(match[1]!), `${path} → ${match[1]}`).toBe(true);
      for (const match of body.matchAll(/(?:from|import)\s*"\.\/([^"]+)"/g)) expect(assets.has(`/assets/${match[1]}`), `${path} → ${match[1]}`).toBe(true);
    }
  });

  it("has no inline script, inline style or event-handler attribute (the CSP refuses them)", () => {
    for (const path of htmlPaths) {
      const html = text(path);
      expect(html, path).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/i);
      expect(html, path).not.toMatch(/<style[\s>]/i);
      expect(html, path).not.toMatch(/\sstyle=/i);
      expect(html, path).not.toMatch(/\son[a-z]+=/i);
      expect(html, path).not.toMatch(/javascript:/i);
    }
  });

  it("marks the current page in the navigation", () => {
    expect(text("/queue")).toMatch(/<a href="\/queue" aria-current="page">Queue<\/a>/);
    expect(text("/editor")).toMatch(/<a href="\/editor" aria-current="page">Editor<\/a>/);
  });

  it("keeps what the editor page loads within its gzip budget", () => {
    const report = reportSizes([...assets].map(([path, asset]) => ({ path, contentType: asset.contentType, body: decoder.decode(asset.body) })));
    expect(report.editorPage.files).toContain("/editor");
    expect(report.editorPage.files.some((file) => file.endsWith(".css"))).toBe(true);
    expect(report.editorPage.files.filter((file) => file.endsWith(".js")).length).toBeGreaterThanOrEqual(1);
    expect(report.editorPage.gzipBytes).toBeGreaterThan(0);
    expect(report.editorPage.gzipBytes).toBeLessThanOrEqual(editorPageGzipBudgetBytes);
  });

  it("links a page's own stylesheet only from that page", () => {
    const stylesheetsOf = (page: string) => [...text(page).matchAll(/<link rel="stylesheet" href="(\/assets\/[^"]+\.css)">/g)].map((match) => match[1]!);
    const css = (page: string) => stylesheetsOf(page).map((path) => text(path)).join("\n");
    expect(stylesheetsOf("/operator")).toHaveLength(2);
    expect(css("/operator")).toMatch(/\.operator-table/);
    expect(stylesheetsOf("/gallery")).toHaveLength(2);
    expect(css("/gallery")).toMatch(/\.gallery-entry/);
    for (const page of ["/editor", "/queue", "/docs", "/qr"]) {
      expect(stylesheetsOf(page), page).toHaveLength(1);
      expect(css(page), page).not.toMatch(/\.operator-table|\.gallery-entry/);
    }
  });

  it("does not ship the QR encoder or CodeMirror to pages that do not use them", () => {
    const scriptsOf = (page: string) => [...text(page).matchAll(/src="(\/assets\/[^"]+\.js)"/g)].map((match) => text(match[1]!)).join("\n");
    expect(scriptsOf("/queue")).not.toMatch(/cm-content/);
    expect(scriptsOf("/queue")).not.toMatch(/WIFI:|Bad data|QR Code/i);
    expect(text("/docs")).not.toMatch(/<script/);
  });
});

describe("/docs and the editor", () => {
  const unescape = (html: string) =>
    html.replace(/<[^>]+>/g, "").replaceAll("&lt;", "<").replaceAll("&gt;", ">").replaceAll("&quot;", '"').replaceAll("&#39;", "'").replaceAll("&amp;", "&");

  it("follows every Python code block of the guide with a link that opens exactly that code", () => {
    const blocks = [...text("/docs").matchAll(/<pre tabindex="0"><code class="language-python">([\s\S]*?)<\/code><\/pre><p class="code-actions"><a class="button button-small" href="([^"]+)">/g)];
    const guideBlocks = blocks.filter((block) => block[2]!.startsWith("/editor#code="));
    expect(guideBlocks.length).toBeGreaterThan(3);
    expect(guideBlocks.length).toBe((text("/docs").match(/<code class="language-python">/g) ?? []).length - examples.length);
    for (const [, code, href] of guideBlocks) {
      expect(decodeURIComponent(unescape(href!).slice("/editor#code=".length))).toBe(unescape(code!));
    }
  });

  it("lists every starter example with a link into the editor", () => {
    for (const example of examples) expect(text("/docs")).toContain(`href="/editor#example=${example.id}"`);
  });
});
