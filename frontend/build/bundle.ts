/**
 * Builds the whole frontend in memory: page scripts and CSS through Bun.build (code-split, minified,
 * content-hashed names under /assets/), HTML pages from frontend/pages/ around one layout, and the
 * runner docs rendered from appliance/runner/README.md. Returns every file keyed by its URL path.
 */
import { existsSync, readFileSync } from "node:fs";
import { basename, join } from "node:path";
import { fileURLToPath } from "node:url";
import { contentTypeFor } from "./content-types.ts";
import { highlightPython } from "./highlight.ts";
import { escapeHtml, renderMarkdown } from "./markdown.ts";
import { pages, type PageSpec } from "./pages.ts";
import { editorLinkForCode, editorLinkForExample } from "../src/editor/editor-link.ts";
import { examples } from "../src/editor/examples.ts";

export interface BuiltAsset {
  path: string;
  contentType: string;
  body: string;
}

const frontendDir = fileURLToPath(new URL("..", import.meta.url));
export const runnerDocsPath = join(frontendDir, "..", "appliance", "runner", "README.md");

/** Paths are served as they are; assets under /assets/ carry a content hash and may be cached forever. */
export const assetPrefix = "/assets/";

/** One Bun.build of some entry points; `splitting` puts modules they share into common chunks. */
async function build(entrypoints: string[], splitting: boolean) {
  const result = await Bun.build({
    entrypoints,
    target: "browser",
    format: "esm",
    splitting,
    minify: true,
    sourcemap: "none",
    naming: { entry: "[name]-[hash].[ext]", chunk: "chunk-[hash].[ext]", asset: "[name]-[hash].[ext]" },
    define: { "process.env.NODE_ENV": '"production"' },
    throw: false,
  });
  if (!result.success) {
    throw new Error(`frontend build failed:\n${result.logs.map((log) => String(log)).join("\n")}`);
  }
  return result.outputs;
}

export async function bundleFrontend(): Promise<BuiltAsset[]> {
  const entry = (page: PageSpec) => join(frontendDir, "src", "entries", `${page.name}.ts`);
  const split = pages.filter((page) => page.script && page.ownBundle !== true).map(entry);
  const own = pages.filter((page) => page.script && page.ownBundle === true).map(entry);
  const pageStyles = pages.filter((page) => page.styles === true).map((page) => join(frontendDir, "styles", "pages", `${page.name}.css`));
  const outputs = [...(await build([...split, join(frontendDir, "styles", "app.css"), ...pageStyles], true)), ...(own.length === 0 ? [] : await build(own, false))];

  const assets: BuiltAsset[] = [];
  /** Entry name ("editor", "app") → its URL, for the HTML pages to reference. */
  const entryUrls = new Map<string, string>();
  for (const output of outputs) {
    const file = basename(output.path);
    const url = assetPrefix + file;
    assets.push({ path: url, contentType: contentTypeFor(file), body: await output.text() });
    // A CSS entry point comes out as kind "asset"; it keeps its extension in the key ("operator.css").
    if (output.kind === "entry-point") entryUrls.set(file.replace(/-[a-z0-9]+\.js$/, ""), url);
    if (file.endsWith(".css")) entryUrls.set(file.replace(/-[a-z0-9]+\.css$/, ".css"), url);
  }

  const favicon = readFileSync(join(frontendDir, "pages", "favicon.svg"), "utf8");
  const faviconUrl = `${assetPrefix}favicon-${Bun.hash(favicon).toString(36)}.svg`;
  assets.push({ path: faviconUrl, contentType: contentTypeFor(faviconUrl), body: favicon });

  const layout = readFileSync(join(frontendDir, "pages", "layout.html"), "utf8");
  const cssUrl = entryUrls.get("app.css");
  if (cssUrl === undefined) throw new Error("frontend build: app.css produced no output");
  for (const page of pages) {
    const pageCssUrl = page.styles === true ? entryUrls.get(`${page.name}.css`) : undefined;
    if (page.styles === true && pageCssUrl === undefined) throw new Error(`frontend build: styles/pages/${page.name}.css produced no output`);
    const html = renderPage(layout, page, { cssUrl, pageCssUrl, faviconUrl, scriptUrl: page.script ? entryUrls.get(page.name) : undefined });
    for (const path of page.paths) assets.push({ path, contentType: contentTypeFor(".html"), body: html });
  }
  return assets;
}

function renderPage(layout: string, page: PageSpec, urls: { cssUrl: string; pageCssUrl: string | undefined; faviconUrl: string; scriptUrl: string | undefined }): string {
  let main = readFileSync(join(frontendDir, "pages", `${page.name}.html`), "utf8");
  if (page.name === "docs") main = main.replace("{{docs}}", () => renderRunnerDocs());
  const nav = pages
    .filter((other) => other.nav !== undefined)
    .map((other) => {
      const current = other.name === page.name ? ' aria-current="page"' : "";
      return `<a href="${other.paths.at(-1)}"${current}>${escapeHtml(other.nav!)}</a>`;
    })
    .join("");
  const script = urls.scriptUrl === undefined ? "" : `<script type="module" src="${urls.scriptUrl}"></script>`;
  const values: Record<string, string> = {
    title: escapeHtml(page.title),
    page: page.name,
    css: urls.cssUrl,
    pageCss: urls.pageCssUrl === undefined ? "" : `<link rel="stylesheet" href="${urls.pageCssUrl}">`,
    favicon: urls.faviconUrl,
    script,
    nav,
    main,
  };
  // One pass, so a value that happens to contain "{{x}}" is never expanded again.
  return layout.replace(/\{\{(\w+)\}\}/g, (whole, key: string) => values[key] ?? whole);
}

/** An "Open in editor" link under a code block; the code travels in the URL fragment, escaped. */
export function openInEditorLink(href: string, what: string): string {
  return `<p class="code-actions"><a class="button button-small" href="${escapeHtml(href)}">Open in editor<span class="visually-hidden">: ${escapeHtml(what)}</span></a></p>`;
}

const isPython = (language: string) => ["python", "py"].includes(language);

/** The visitor docs (or a short note while they are not written yet), then the example gallery. */
export function renderRunnerDocs(): string {
  if (!existsSync(runnerDocsPath)) {
    return "<p>The programming guide is not written yet. Meanwhile: <code>getLEDCount()</code> gives the number of LEDs, " +
      "and <code>setLEDs(states)</code> takes one <code>[R, G, B, L]</code> per LED (colours 0–255, brightness 0–100).</p>" + renderExampleGallery();
  }
  let block = 0;
  const guide = renderMarkdown(readFileSync(runnerDocsPath, "utf8"), {
    highlight: (code, language) => (isPython(language) ? highlightPython(code) : undefined),
    afterCode: (code, language) => (isPython(language) ? openInEditorLink(editorLinkForCode(code), `example ${++block} of the guide`) : undefined),
  });
  return guide + renderExampleGallery();
}

/** Every starter example with its code and a one-tap link into the editor (where Try it previews it). */
export function renderExampleGallery(): string {
  const items = examples.map(
    (example) =>
      `<section class="example" aria-labelledby="example-${escapeHtml(example.id)}">` +
      `<h3 id="example-${escapeHtml(example.id)}">${escapeHtml(example.title)}</h3>` +
      openInEditorLink(editorLinkForExample(example), example.title) +
      `<details><summary>Show the code</summary><pre tabindex="0"><code class="language-python">${highlightPython(example.code)}</code></pre></details>` +
      `</section>`,
  );
  return `<h2 id="examples">Examples to start from</h2>\n<p>Open one in the editor, press <strong>Try it</strong> to watch it on the preview tree, then change it.</p>\n<div class="example-gallery">${items.join("")}</div>`;
}
