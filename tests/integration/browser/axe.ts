/**
 * axe-core (Deque's accessibility rules engine) run inside a page. Its source is evaluated through
 * the DevTools protocol, like any test script, so the page's CSP (`default-src 'self'`) stays as it
 * is and nothing is added to what visitors load. axe itself tries to add a <style> element, which
 * the CSP refuses (a style-src-elem report with no source file): a page's problems() checked after
 * axe has run include it, so check those before running axe.
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import type { Page } from "playwright-core";

const axeSource = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");

export interface AxeFinding {
  rule: string;
  impact: string;
  help: string;
  targets: string[];
}

/** The serious and critical WCAG 2.x A/AA violations on the page as it is now. */
export async function seriousAxeViolations(page: Page): Promise<AxeFinding[]> {
  if (!(await page.evaluate(() => "axe" in window))) await page.evaluate(axeSource);
  return page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(context: Document, options: object): Promise<{ violations: { id: string; impact: string | null; help: string; nodes: { target: unknown[] }[] }[] }> } }).axe;
    const result = await axe.run(document, { runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"] }, resultTypes: ["violations"] });
    return result.violations
      .filter((violation) => violation.impact === "serious" || violation.impact === "critical")
      .map((violation) => ({ rule: violation.id, impact: violation.impact ?? "", help: violation.help, targets: violation.nodes.slice(0, 5).map((node) => JSON.stringify(node.target)) }));
  });
}
