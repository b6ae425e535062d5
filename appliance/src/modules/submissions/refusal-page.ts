/**
 * The answer to a refused upload from the editor's plain HTML form (the no-JS
 * path, or "Upload a .py file"): a page a student can read, with the error, its
 * line, and a way back, instead of the JSON envelope a script would get. Same
 * status code as the JSON answer. Everything from the request or the checker
 * goes in escaped; the page carries no script and no inline style (the CSP
 * allows neither), only the site's stylesheet.
 */
import type { AppError } from "../../errors.ts";
import { securityHeaders } from "../../security-headers.ts";

const escapeHtml = (text: string) =>
  text.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);

const titles: Partial<Record<AppError["code"], string>> = {
  check_failed: "Your program needs a fix first",
  payload_too_large: "That program is too large",
  not_utf8: "That file could not be read",
  unsupported_media_type: "That file could not be used",
  rate_limited: "Please wait a moment",
  too_many_pending: "You have programs waiting already",
  queue_full: "The queue is full",
  blocked: "Uploads are blocked",
  sandbox_unavailable: "The tree cannot run programs right now",
};

/** The bundle's shared stylesheet (app.css; pages may have their own too) and icon (their names carry a hash), when the frontend is embedded. */
export interface PageAssets {
  stylesheet?: string;
  favicon?: string;
}

export function pageAssetsOf(paths: Iterable<string>): PageAssets {
  const all = [...paths].filter((path) => path.startsWith("/assets/"));
  return { stylesheet: all.find((path) => /\/app-[^/]*\.css$/.test(path)), favicon: all.find((path) => /\/favicon-[^/]*\.svg$/.test(path)) };
}

export function refusalPage(error: AppError, { stylesheet, favicon }: PageAssets): Response {
  const title = titles[error.code] ?? "Your program was not sent";
  const line = typeof error.extra.line === "number" ? error.extra.line : undefined;
  const column = typeof error.extra.column === "number" ? error.extra.column : undefined;
  const where = line === undefined ? "" : `<p class="result-label">Line ${line}${column === undefined ? "" : `, column ${column}`}</p>`;
  const retry = error.extra.retryAfterSeconds;
  const html = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="dark">
<title>${escapeHtml(title)} · The Code Tree</title>
${stylesheet === undefined ? "" : `<link rel="stylesheet" href="${escapeHtml(stylesheet)}">`}
${favicon === undefined ? "" : `<link rel="icon" href="${escapeHtml(favicon)}" type="image/svg+xml">`}
</head>
<body class="page-refused">
<main id="main" data-refused="${escapeHtml(error.code)}">
<h1>${escapeHtml(title)}</h1>
${where}
<pre class="output output-error" data-error>${escapeHtml(error.message)}</pre>
${retry === undefined ? "" : `<p>Try again in ${escapeHtml(String(retry))} s.</p>`}
<p><a class="button button-primary" href="/editor" data-back>Back to the editor</a> <a class="button" href="/docs">Read the docs</a></p>
</main>
</body>
</html>
`;
  const headers: Record<string, string> = { "content-type": "text/html; charset=utf-8", "cache-control": "no-store", ...securityHeaders };
  if (retry !== undefined) headers["retry-after"] = String(retry);
  return new Response(html, { status: error.status, headers });
}
