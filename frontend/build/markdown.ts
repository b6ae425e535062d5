/**
 * A small Markdown-to-HTML renderer for the subset the runner docs use: ATX headings, paragraphs,
 * fenced code blocks, bullet and numbered lists (nested by indentation), tables, block quotes,
 * horizontal rules, and inline code, bold, italics and links.
 *
 * It runs at build time on a file other engineers write, so it treats its input as untrusted: every
 * piece of text is HTML-escaped, raw HTML is shown as text (never passed through), and links only
 * keep http(s), mailto, relative and in-page targets.
 */

export interface MarkdownOptions {
  /** Turns a fenced code block into HTML (already escaped); default: escaped text. */
  highlight?: (code: string, language: string) => string | undefined;
  /** HTML placed right after a fenced code block (e.g. an "Open in editor" link); it must escape what it uses. */
  afterCode?: (code: string, language: string) => string | undefined;
}

export function escapeHtml(text: string): string {
  return text
    .replaceAll("&", "&amp;")
    .replaceAll("<", "&lt;")
    .replaceAll(">", "&gt;")
    .replaceAll('"', "&quot;")
    .replaceAll("'", "&#39;");
}

/** Keeps links that cannot run script: http(s), mailto, relative paths and #anchors. */
export function safeHref(raw: string): string | undefined {
  const href = raw.trim();
  // Control characters and whitespace inside a scheme are how "java\nscript:" slips past checks.
  if (/[\u0000-\u001f\u007f\s]/.test(href)) return undefined;
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(href);
  if (scheme === null) return href;
  return ["http", "https", "mailto"].includes(scheme[1]!.toLowerCase()) ? href : undefined;
}

export function slugify(text: string): string {
  return text
    .toLowerCase()
    .replace(/[`*_[\]()]/g, "")
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "");
}

/** Inline markup: `code`, **bold**, *em* / _em_, [text](href). Everything else is escaped text. */
export function renderInline(text: string): string {
  let out = "";
  let i = 0;
  let plain = "";
  // Backslash-escaped characters wait behind a private-use placeholder until emphasis is done.
  const escaped: string[] = [];
  const flush = () => {
    out += renderEmphasis(plain).replace(/\uE000/g, () => escapeHtml(escaped.shift() ?? ""));
    plain = "";
  };
  text = text.replaceAll("\uE000", "\uFFFD");
  while (i < text.length) {
    const ch = text[i]!;
    if (ch === "\\" && i + 1 < text.length && /[\\`*_[\]()#|!-]/.test(text[i + 1]!)) {
      plain += "\uE000";
      escaped.push(text[i + 1]!);
      i += 2;
      continue;
    }
    if (ch === "`") {
      let ticks = 1;
      while (text[i + ticks] === "`") ticks++;
      const fence = "`".repeat(ticks);
      const end = text.indexOf(fence, i + ticks);
      if (end !== -1) {
        flush();
        out += `<code>${escapeHtml(text.slice(i + ticks, end).trim())}</code>`;
        i = end + ticks;
        continue;
      }
    }
    if (ch === "[") {
      const link = /^\[([^\]]*)\]\(([^()\s]*(?:\([^()\s]*\)[^()\s]*)*)\)/.exec(text.slice(i));
      if (link !== null) {
        flush();
        const href = safeHref(link[2]!);
        const label = renderInline(link[1]!);
        out += href === undefined ? label : `<a href="${escapeHtml(href)}">${label}</a>`;
        i += link[0].length;
        continue;
      }
    }
    plain += ch;
    i++;
  }
  flush();
  return out;
}

function renderEmphasis(text: string): string {
  return escapeHtml(text)
    .replace(/\*\*(?=\S)([\s\S]*?\S)\*\*/g, "<strong>$1</strong>")
    .replace(/(^|[^\w*])__(?=\S)([\s\S]*?\S)__(?!\w)/g, "$1<strong>$2</strong>")
    .replace(/(^|[^\w*])\*(?=\S)([^*]*?\S)\*(?!\w)/g, "$1<em>$2</em>")
    .replace(/(^|[^\w_])_(?=\S)([^_]*?\S)_(?!\w)/g, "$1<em>$2</em>");
}

interface ListItem {
  indent: number;
  ordered: boolean;
  text: string[];
  children: string[];
}

const fenceOpen = /^ {0,3}(```+|~~~+)\s*([\w+-]*)/;
const headingLine = /^ {0,3}(#{1,6})\s+(.*?)\s*#*\s*$/;
const listLine = /^(\s*)([-*+]|\d{1,9}[.)])\s+(.*)$/;
const ruleLine = /^ {0,3}([-*_])(\s*\1){2,}\s*$/;
const tableSeparator = /^\s*\|?\s*:?-{1,}:?\s*(\|\s*:?-{1,}:?\s*)*\|?\s*$/;

function splitRow(line: string): string[] {
  let row = line.trim();
  if (row.startsWith("|")) row = row.slice(1);
  if (row.endsWith("|") && !row.endsWith("\\|")) row = row.slice(0, -1);
  const cells: string[] = [];
  let cell = "";
  let inCode = false;
  for (let i = 0; i < row.length; i++) {
    const ch = row[i]!;
    if (ch === "\\" && row[i + 1] === "|") {
      cell += "|";
      i++;
    } else if (ch === "`") {
      inCode = !inCode;
      cell += ch;
    } else if (ch === "|" && !inCode) {
      cells.push(cell.trim());
      cell = "";
    } else {
      cell += ch;
    }
  }
  cells.push(cell.trim());
  return cells;
}

export function renderMarkdown(source: string, options: MarkdownOptions = {}): string {
  const lines = source.replace(/\r\n?/g, "\n").split("\n");
  const html: string[] = [];
  const usedIds = new Map<string, number>();
  let paragraph: string[] = [];

  const flushParagraph = () => {
    if (paragraph.length > 0) html.push(`<p>${renderInline(paragraph.join(" "))}</p>`);
    paragraph = [];
  };
  const codeBlock = (code: string, language: string) => {
    const body = options.highlight?.(code, language) ?? escapeHtml(code);
    const cls = language === "" ? "" : ` class="language-${escapeHtml(language)}"`;
    // tabindex: a long line scrolls the block sideways, and keyboard users must be able to scroll it.
    return `<pre tabindex="0"><code${cls}>${body}</code></pre>${options.afterCode?.(code, language) ?? ""}`;
  };

  let i = 0;
  while (i < lines.length) {
    const line = lines[i]!;
    const fence = fenceOpen.exec(line);
    if (fence !== null) {
      flushParagraph();
      const marker = fence[1]!;
      const body: string[] = [];
      i++;
      while (i < lines.length && !lines[i]!.trimStart().startsWith(marker)) body.push(lines[i++]!);
      i++; // the closing fence (or the end of the file)
      html.push(codeBlock(body.join("\n"), fence[2]!.toLowerCase()));
      continue;
    }
    if (line.trim() === "") {
      flushParagraph();
      i++;
      continue;
    }
    const heading = headingLine.exec(line);
    if (heading !== null) {
      flushParagraph();
      const level = heading[1]!.length;
      const text = heading[2]!;
      const base = slugify(text) || "section";
      const seen = usedIds.get(base) ?? 0;
      usedIds.set(base, seen + 1);
      const id = seen === 0 ? base : `${base}-${seen}`;
      html.push(`<h${level} id="${escapeHtml(id)}">${renderInline(text)}</h${level}>`);
      i++;
      continue;
    }
    if (ruleLine.test(line)) {
      flushParagraph();
      html.push("<hr>");
      i++;
      continue;
    }
    if (line.includes("|") && i + 1 < lines.length && tableSeparator.test(lines[i + 1]!) && lines[i + 1]!.includes("-")) {
      flushParagraph();
      const header = splitRow(line);
      const aligns = splitRow(lines[i + 1]!).map((cell) =>
        cell.startsWith(":") && cell.endsWith(":") ? "center" : cell.endsWith(":") ? "right" : cell.startsWith(":") ? "left" : "",
      );
      const cellHtml = (tag: string, text: string, column: number) => {
        const align = aligns[column] ? ` class="align-${aligns[column]}"` : "";
        return `<${tag}${align}>${renderInline(text)}</${tag}>`;
      };
      const rows: string[] = [];
      i += 2;
      while (i < lines.length && lines[i]!.trim() !== "" && lines[i]!.includes("|")) {
        const cells = splitRow(lines[i]!);
        rows.push(`<tr>${header.map((_, c) => cellHtml("td", cells[c] ?? "", c)).join("")}</tr>`);
        i++;
      }
      html.push(
        `<div class="table-wrap"><table><thead><tr>${header.map((cell, c) => cellHtml("th", cell, c)).join("")}</tr></thead>` +
          `<tbody>${rows.join("")}</tbody></table></div>`,
      );
      continue;
    }
    if (/^ {0,3}>/.test(line)) {
      flushParagraph();
      const quoted: string[] = [];
      while (i < lines.length && /^ {0,3}>/.test(lines[i]!)) quoted.push(lines[i++]!.replace(/^ {0,3}> ?/, ""));
      html.push(`<blockquote>${renderMarkdown(quoted.join("\n"), options)}</blockquote>`);
      continue;
    }
    if (listLine.test(line) && (paragraph.length === 0 || /^\s*([-*+]|1[.)])\s/.test(line))) {
      flushParagraph();
      const consumed = renderList(lines, i, options);
      html.push(consumed.html);
      i = consumed.next;
      continue;
    }
    paragraph.push(line.trim());
    i++;
  }
  flushParagraph();
  return html.join("\n");
}

/** A list starting at lines[start]; deeper-indented items and continuation lines nest inside items. */
function renderList(lines: string[], start: number, options: MarkdownOptions): { html: string; next: number } {
  const first = listLine.exec(lines[start]!)!;
  const baseIndent = first[1]!.length;
  const ordered = /\d/.test(first[2]!);
  const items: ListItem[] = [];
  let i = start;
  while (i < lines.length) {
    const line = lines[i]!;
    const item = listLine.exec(line);
    if (item !== null && item[1]!.length === baseIndent && /\d/.test(item[2]!) === ordered) {
      items.push({ indent: baseIndent, ordered, text: [item[3]!], children: [] });
      i++;
      continue;
    }
    const current = items[items.length - 1];
    if (current === undefined) break;
    if (line.trim() === "") {
      // A blank line ends the list unless the next line is indented under the item.
      const nextLine = lines[i + 1];
      if (nextLine !== undefined && nextLine.trim() !== "" && indentOf(nextLine) > baseIndent) {
        current.children.push("");
        i++;
        continue;
      }
      break;
    }
    if (indentOf(line) > baseIndent) {
      current.children.push(line);
      i++;
      continue;
    }
    if (item === null && current.children.length === 0 && !fenceOpen.test(line) && !headingLine.test(line)) {
      current.text.push(line.trim()); // a lazy continuation of the item's text
      i++;
      continue;
    }
    break;
  }
  const body = items
    .map((item) => {
      const nested = item.children.length > 0 ? renderMarkdown(dedent(item.children), options) : "";
      return `<li>${renderInline(item.text.join(" "))}${nested}</li>`;
    })
    .join("");
  const tag = ordered ? "ol" : "ul";
  return { html: `<${tag}>${body}</${tag}>`, next: i };
}

function indentOf(line: string): number {
  return line.length - line.trimStart().length;
}

function dedent(block: string[]): string {
  const indents = block.filter((line) => line.trim() !== "").map(indentOf);
  const cut = Math.min(...indents);
  return block.map((line) => line.slice(cut)).join("\n");
}
