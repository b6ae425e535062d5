/**
 * Debian's Chromium driven by playwright-core (never a downloaded browser), with a phone-sized
 * context helper. Every page records console errors and CSP violations so tests can assert none.
 */
import { chromium, type Browser, type BrowserContext, type Page } from "playwright-core";

export const chromiumPath = "/usr/bin/chromium";

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
}

/** A phone: 390×844 CSS pixels at 2×, touch, a mobile user agent (each context gets its own cookie). */
export function phoneContext(browser: Browser, userAgentSuffix = ""): Promise<BrowserContext> {
  return browser.newContext({
    viewport: { width: 390, height: 844 },
    deviceScaleFactor: 2,
    isMobile: true,
    hasTouch: true,
    userAgent: `Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Mobile Safari/537.36${userAgentSuffix}`,
  });
}

export interface WatchedPage {
  page: Page;
  /** Console errors, page errors and CSP violations seen so far (see problems()). */
  problems(): Promise<string[]>;
}

/**
 * Chromium's own editing engine, inserting text into a contenteditable, may try a style attribute
 * on a node it creates; CSP refuses it (no script of ours asked for it) and CodeMirror redraws the
 * line from its state anyway. That one case is not a problem of the page; every other violation is.
 */
function isEditingEngineArtefact(violation: Violation): boolean {
  return violation.directive === "style-src-attr" && violation.sourceFile === "" && violation.target === "code-editor";
}

interface Violation {
  directive: string;
  sourceFile: string;
  line: number;
  target: string;
  sample: string;
}

export async function watchedPage(context: BrowserContext): Promise<WatchedPage> {
  const page = await context.newPage();
  const consoleProblems: string[] = [];
  await page.addInitScript(() => {
    const seen: unknown[] = [];
    Object.defineProperty(window, "__cspViolations", { value: seen });
    document.addEventListener("securitypolicyviolation", (event) => {
      const target = event.target as Element | null;
      seen.push({ directive: event.violatedDirective, sourceFile: event.sourceFile, line: event.lineNumber, target: target?.className ?? "", sample: event.sample });
    });
  });
  page.on("console", (message) => {
    // CSP refusals are reported with more detail by the securitypolicyviolation listener.
    if (message.type() !== "error" || /Content Security Policy/.test(message.text())) return;
    // The editor's checks as you type probe POST /api/check and stop quietly on a server without it;
    // Chromium still logs that one 404 itself.
    if (/status of 404/.test(message.text()) && new URL(message.location().url, "http://x").pathname === "/api/check") return;
    consoleProblems.push(`console: ${message.text()}`);
  });
  page.on("pageerror", (error) => consoleProblems.push(`page error: ${error.message}`));
  return {
    page,
    async problems() {
      const violations = page.isClosed() ? [] : await page.evaluate(() => (window as unknown as { __cspViolations: Violation[] }).__cspViolations ?? []);
      return [
        ...consoleProblems,
        ...violations.filter((violation) => !isEditingEngineArtefact(violation)).map((violation) => `CSP ${violation.directive}: ${JSON.stringify(violation)}`),
      ];
    },
  };
}
