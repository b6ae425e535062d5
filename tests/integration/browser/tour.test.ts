/**
 * A newcomer's screenshot tour: every page at 390×844 (a phone, touch) in real headless Chromium
 * against the real stack. Each stop is photographed at the top and at the bottom of the page into
 * .cache/tour/ (gitignored) for a person to look through, and checked: nothing scrolls sideways, no
 * fixed or sticky bar sits on another, and no bar hides a control a visitor could tap (its middle
 * under a bar) at either scroll position.
 */
import { mkdirSync } from "node:fs";
import { join, resolve } from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { pages } from "../../../frontend/build/pages.ts";
import { launchChromium, phoneContext, watchedPage } from "./browser.ts";
import { queueSomeoneElsesPrograms, startWalkthroughStack, walkthroughOperatorPassword, type Stack } from "./stack.ts";

const tourDir = resolve(import.meta.dirname, "../../../.cache/tour");
let stack: Stack;
let browser: Browser;

beforeAll(async () => {
  stack = await startWalkthroughStack();
  browser = await launchChromium();
  mkdirSync(tourDir, { recursive: true });
  await queueSomeoneElsesPrograms(stack.baseUrl, ["255, 0, 0", "0, 0, 255", "0, 255, 0"]);
});

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

interface Stop {
  /** The screenshot's file name. */
  name: string;
  path: string;
  /** Brings the page into the state to look at, once it has loaded. */
  prepare?(page: Page): Promise<void>;
}

async function signIn(page: Page): Promise<void> {
  await page.locator("#operator-password").fill(walkthroughOperatorPassword);
  await page.locator("#operator-password").press("Enter");
  await page.locator("[data-operator-panel]").waitFor({ state: "visible" });
}

/**
 * The tour: every path of every page the appliance serves (frontend/build/pages.ts, so a new page
 * joins by itself), then the states worth a look of their own. Add a stop here to extend it.
 */
const stops: Stop[] = [
  ...pages.flatMap((page) => page.paths.map((path) => ({ name: path === "/" ? "home" : path.slice(1).replaceAll("/", "-"), path }))),
  { name: "operator-signed-in", path: "/operator", prepare: signIn },
];

/** A fixed or sticky element on screen, by a short description. */
interface Bar {
  what: string;
  top: number;
  bottom: number;
  left: number;
  right: number;
}

interface Findings {
  /** How far the page reaches past the screen's right edge (0: not at all). */
  sideways: number;
  bars: Bar[];
  /** "control under bar" and "bar on bar" sentences. */
  overlaps: string[];
}

/**
 * Looks at the page as it is scrolled now. Content sliding under a sticky header as the page scrolls
 * down is what a header does, so at the top of the page the bars along the screen's top edge are
 * checked, and at the bottom the bars along its bottom edge (where nothing can slide out any more);
 * a page too short to scroll gets both.
 */
function inspect(page: Page, edge: "top" | "bottom"): Promise<Findings> {
  return page.evaluate((edge) => {
    const describe = (element: Element) => {
      const label = element.getAttribute("aria-label") ?? element.textContent?.trim().slice(0, 30) ?? "";
      return `${element.tagName.toLowerCase()}${element.className && typeof element.className === "string" ? `.${element.className.trim().split(/\s+/).join(".")}` : ""} "${label}"`;
    };
    const visible = (element: Element) => {
      const rect = element.getBoundingClientRect();
      const style = getComputedStyle(element);
      return rect.width > 0 && rect.height > 0 && style.visibility !== "hidden" && Number(style.opacity) > 0;
    };
    const onScreen = (rect: DOMRect) => rect.bottom > 0 && rect.top < innerHeight && rect.right > 0 && rect.left < innerWidth;

    const pinned = [...document.querySelectorAll("body *")].filter((element) => /^(fixed|sticky)$/.test(getComputedStyle(element).position) && visible(element));
    // The outermost ones: a sticky element inside a fixed one is part of it.
    const bars = pinned.filter((element) => !pinned.some((other) => other !== element && other.contains(element)) && onScreen(element.getBoundingClientRect()));
    const overlaps: string[] = [];

    for (let i = 0; i < bars.length; i++) {
      for (let j = i + 1; j < bars.length; j++) {
        const a = bars[i]!.getBoundingClientRect();
        const b = bars[j]!.getBoundingClientRect();
        const width = Math.min(a.right, b.right) - Math.max(a.left, b.left);
        const height = Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top);
        if (width > 1 && height > 1) overlaps.push(`${describe(bars[i]!)} and ${describe(bars[j]!)} overlap by ${Math.round(height)} px`);
      }
    }

    const alongEdge = bars.filter((bar) => {
      const rect = bar.getBoundingClientRect();
      return (rect.top + rect.bottom) / 2 < innerHeight / 2 === (edge === "top");
    });
    const focusable = document.querySelectorAll("a[href], button, input, select, textarea, summary, [tabindex]:not([tabindex='-1']), [data-code-editor]");
    for (const control of focusable) {
      if (!visible(control) || bars.some((bar) => bar.contains(control))) continue;
      if (control.closest("dialog:not([open]), [hidden], [inert]") !== null) continue;
      // Inside a closed <details> only its summary shows (Chromium still lays the rest out, unseen).
      const closed = control.closest("details:not([open])");
      if (closed !== null && control.closest("summary")?.parentElement !== closed) continue;
      const rect = control.getBoundingClientRect();
      const x = rect.left + rect.width / 2;
      const y = rect.top + rect.height / 2;
      // A control whose middle is off screen is for a later scroll, not hidden.
      if (x < 0 || x >= innerWidth || y < 0 || y >= innerHeight) continue;
      const hit = document.elementFromPoint(x, y);
      if (hit === null || control.contains(hit) || hit.contains(control)) continue;
      const cover = alongEdge.find((bar) => bar.contains(hit));
      if (cover !== undefined) overlaps.push(`${describe(control)} is under ${describe(cover)}`);
    }

    return {
      sideways: Math.max(0, document.scrollingElement!.scrollWidth - innerWidth),
      bars: bars.map((bar) => {
        const rect = bar.getBoundingClientRect();
        return { what: describe(bar), top: Math.round(rect.top), bottom: Math.round(rect.bottom), left: Math.round(rect.left), right: Math.round(rect.right) };
      }),
      overlaps,
    };
  }, edge);
}

describe("a newcomer's tour of every page at 390×844", () => {
  it("shows no sideways scroll and no bar over a control or another bar, top and bottom", async () => {
    const context = await phoneContext(browser, " tour");
    const { page, problems } = await watchedPage(context);
    const found: Record<string, unknown> = {};
    const seen: string[] = [];
    for (const stop of stops) {
      const response = await page.goto(`${stack.baseUrl}${stop.path}`);
      expect(response?.status(), stop.path).toBe(200);
      await page.locator("main").waitFor();
      await stop.prepare?.(page);
      await page.waitForLoadState("load");
      await page.waitForTimeout(400); // let the scripts fetch what they need, draw, and pin their bars
      for (const where of ["top", "bottom"] as const) {
        await page.evaluate((end) => window.scrollTo(0, end === "top" ? 0 : document.scrollingElement!.scrollHeight), where);
        await page.waitForTimeout(150);
        await page.screenshot({ path: join(tourDir, `${stop.name}-${where}-390x844.png`) });
        const findings = await inspect(page, where);
        // Against the screen's width too: a phone widens innerWidth to fit content that overflows.
        const wider = Math.max(findings.sideways, await page.evaluate(() => document.scrollingElement!.scrollWidth - 390));
        if (wider > 0 || findings.overlaps.length > 0) found[`${stop.name} (${where})`] = { sideways: wider, overlaps: findings.overlaps, bars: findings.bars };
      }
      seen.push(stop.name);
    }
    expect(found).toEqual({});
    expect(seen).toEqual(expect.arrayContaining(["home", "editor", "queue", "docs", "qr", "operator", "operator-signed-in"]));
    // The operator page asks for its state before signing in; the 401 is how it learns to show the form.
    expect((await problems()).filter((problem) => !problem.includes("status of 401"))).toEqual([]);
    await context.close();
  }, 180_000);
});
