/**
 * Writing Python on a phone, in real headless Chromium (touch, 390×844) against the real stack: the
 * key bar's keys are fingertip-sized and type what phones hide (brackets close themselves), undo
 * works, completion offers the tree's names with a one-line doc, long lines wrap, and the program
 * typed this way previews without an error.
 */
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchChromium, phoneContext, watchedPage } from "./browser.ts";
import { waitForCanvasColour } from "./canvas.ts";
import { seriousAxeViolations } from "./axe.ts";
import { startStack, type Stack } from "./stack.ts";

let stack: Stack;
let browser: Browser;

beforeAll(async () => {
  stack = await startStack({ appArgs: ["--idle-show", "false", "--preview-seconds", "2"] });
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

const draft = (page: Page) => page.evaluate(() => localStorage.getItem("code-tree.draft.v1"));
const key = (page: Page, label: string) => page.locator(`.key-bar [data-key="${label.replace(/["\\]/g, "\\$&")}"]`);

describe("the editor on a phone", () => {
  it("types a program with the key bar and completion, then previews it", async () => {
    const visitor = await phoneContext(browser, " typing");
    const { page, problems } = await watchedPage(visitor);
    await page.goto(`${stack.baseUrl}/editor`);
    await page.locator(".cm-content").waitFor();

    // Every key the issue asks for is there, at least 44×44 px.
    for (const label of ["⇥", "⇤", "↶", ":", "(", ")", "[", "]", ",", '"', "'", "=", "+", "-", "*", "/", "<", ">"]) {
      const box = await key(page, label).boundingBox();
      expect(box, label).not.toBeNull();
      expect(box!.width, label).toBeGreaterThanOrEqual(44);
      expect(box!.height, label).toBeGreaterThanOrEqual(44);
    }

    await page.locator(".cm-content").click();
    await page.keyboard.press("Control+A");
    await page.keyboard.press("Delete");

    // A word typed out in full closes the list: Enter makes a new line, as a typist means.
    await page.keyboard.type("import time");
    await page.waitForTimeout(150);
    await page.keyboard.press("Enter");
    await expect.poll(() => draft(page)).toBe("import time\n");
    await page.keyboard.press("Control+A");
    await page.keyboard.press("Delete");

    // "setL" → the completion list shows setLEDs with its doc; choosing it types "setLEDs(" and the
    // bracket closes itself.
    await page.keyboard.type("setL");
    const option = page.locator(".cm-tooltip-autocomplete li", { hasText: "setLEDs" });
    await option.waitFor({ timeout: 5000 });
    expect(await option.textContent()).toContain("show one frame");
    await page.screenshot({ path: join(tmpdir(), "tree-editor-completion-390x844.png") });
    await option.tap();
    await expect.poll(() => draft(page)).toBe("setLEDs()");

    // Inside the brackets: "[" from the key bar closes itself too; then a colour by completion.
    await key(page, "[").tap();
    await expect.poll(() => draft(page)).toBe("setLEDs([])");
    await page.keyboard.type("BLU");
    // A tap on the option, as on a phone (Enter within CodeMirror's first moments of a list means a
    // newline, and a loaded machine can reopen the list at any time).
    await page.locator(".cm-tooltip-autocomplete li", { hasText: "BLUE" }).tap();
    await expect.poll(() => draft(page)).toBe("setLEDs([BLUE])");
    // "]" over the closing bracket steps over it rather than adding one.
    await key(page, "]").tap();
    for (const label of [" ", "*", " "]) label === " " ? await page.keyboard.type(" ") : await key(page, label).tap();
    await page.keyboard.type("getLEDCount");
    await page.keyboard.press("Escape");
    await key(page, "(").scrollIntoViewIfNeeded();
    await key(page, "(").tap();
    await expect.poll(() => draft(page)).toBe("setLEDs([BLUE] * getLEDCount())");

    // Undo from the key bar takes back the last change (CodeMirror groups changes less than 0.5 s apart).
    await page.waitForTimeout(600);
    await key(page, ",").scrollIntoViewIfNeeded();
    await key(page, ",").tap();
    await expect.poll(() => draft(page)).toBe("setLEDs([BLUE] * getLEDCount(,))");
    await page.waitForTimeout(600);
    await key(page, "↶").scrollIntoViewIfNeeded();
    await key(page, "↶").tap();
    await expect.poll(() => draft(page)).toBe("setLEDs([BLUE] * getLEDCount())");

    // A long line wraps instead of pushing the code's start out of view.
    await page.keyboard.press("Control+End");
    await page.keyboard.type("\n# a long comment that is much wider than a phone's screen, so it has to wrap onto a second line");
    const scroller = page.locator(".cm-scroller");
    expect(await scroller.evaluate((element) => element.scrollWidth <= element.clientWidth)).toBe(true);
    // A line by completion: "wai" → wait( ) with its bracket closed, then the number inside.
    await page.keyboard.type("\nwai");
    await page.locator(".cm-tooltip-autocomplete li", { hasText: "wait" }).tap();
    await expect.poll(async () => (await draft(page))?.split("\n").at(-1)).toBe("wait()");
    await page.keyboard.type("20");
    await expect.poll(async () => (await draft(page))?.split("\n").at(-1)).toBe("wait(20)");
    await page.screenshot({ path: join(tmpdir(), "tree-editor-typed-390x844.png") });

    await page.getByRole("button", { name: "Try it" }).click();
    const panel = page.locator("[data-preview-tree]");
    await expect.poll(() => panel.getAttribute("data-state"), { timeout: 30_000 }).toMatch(/^(completed|timeout)$/);
    expect(Number(await panel.getAttribute("data-frames"))).toBeGreaterThan(0);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    expect((await problems()).filter((problem) => !/status of 422/.test(problem))).toEqual([]);

    // Run on the tree: the queue page's live tree turns blue (no idle show: only a program lights it).
    await page.getByRole("button", { name: "Run on the tree" }).tap();
    await page.waitForURL(/\/queue\?highlight=/);
    const lit = await waitForCanvasColour(page, "blue", 200, 30_000);
    expect(lit.red + lit.green).toBeLessThan(lit.blue / 10);
    await visitor.close();
  }, 120_000);
});

interface Box {
  top: number;
  bottom: number;
}

interface Geometry {
  /** The visual viewport, in the layout viewport's coordinates (as getBoundingClientRect gives). */
  visible: Box;
  keyBar: Box;
  runBar: Box;
  caret: Box | null;
}

/** Where the visual viewport, the two bars and the caret are now. */
function geometry(page: Page): Promise<Geometry> {
  return page.evaluate(() => {
    const box = (element: Element | null | undefined) => {
      if (element === null || element === undefined) return null;
      const rect = element.getBoundingClientRect();
      return { top: rect.top, bottom: rect.bottom };
    };
    const viewport = window.visualViewport!;
    return {
      visible: { top: viewport.offsetTop, bottom: viewport.offsetTop + viewport.height },
      keyBar: box(document.querySelector(".key-bar"))!,
      runBar: box(document.querySelector("[data-run-bar]"))!,
      caret: box(document.querySelector("[data-code-editor]")?.shadowRoot?.querySelector(".cm-cursor-primary")),
    };
  });
}

/**
 * What a visitor needs while typing: the key bar's bottom edge on the visible area's bottom edge,
 * the caret line inside the visible area and above both bars (the Run bar only counts where it is
 * on screen), and the Run bar not on the key bar. A list of what is wrong, empty when all is well.
 */
function typingProblems(at: Geometry): string[] {
  const problems: string[] = [];
  const { visible, keyBar, runBar, caret } = at;
  if (Math.abs(keyBar.bottom - visible.bottom) > 1.5) problems.push(`key bar ends at ${keyBar.bottom}, the visible area at ${visible.bottom}`);
  if (runBar.bottom > keyBar.top + 1 && runBar.top < keyBar.bottom - 1) problems.push(`Run bar ${JSON.stringify(runBar)} on the key bar ${JSON.stringify(keyBar)}`);
  if (caret === null) return [...problems, "no caret"];
  const runBarOnScreen = runBar.top < visible.bottom && runBar.bottom > visible.top;
  const barsTop = Math.min(keyBar.top, runBarOnScreen ? runBar.top : Infinity);
  if (caret.bottom > barsTop + 0.5) problems.push(`caret ${JSON.stringify(caret)} under a bar starting at ${barsTop}`);
  if (caret.top < visible.top - 0.5) problems.push(`caret ${JSON.stringify(caret)} above the visible area from ${visible.top}`);
  return problems;
}

describe("the key bar and an on-screen keyboard", () => {
  it("keeps the key bar at the visible bottom and the caret line above the bars", async () => {
    const visitor = await phoneContext(browser, " keyboard");
    const { page, problems } = await watchedPage(visitor);
    await page.goto(`${stack.baseUrl}/editor`);
    await page.locator(".cm-content").waitFor();
    // pinned-bars.ts arrives a moment after the editor.
    await page.locator(".key-bar.pinned").waitFor({ state: "attached" });

    // No keyboard: the key bar is the screen's bottom row.
    const closed = await geometry(page);
    expect(closed.visible.bottom).toBe(844);
    expect(closed.keyBar.bottom).toBeCloseTo(844, 0);

    // A program longer than the screen, typed at its end: the caret stays above the bars.
    await page.locator(".cm-content").tap();
    await page.keyboard.press("Control+End");
    await page.keyboard.insertText(Array.from({ length: 30 }, (_, line) => `\nsetLEDs([RED] * ${line})`).join(""));
    await page.keyboard.type("\n# the end");
    await expect.poll(async () => typingProblems(await geometry(page))).toEqual([]);

    // The keyboard opens and the whole viewport shrinks (Chrome with interactive-widget=resizes-content,
    // and older Android): the bars move up with it, and the next line typed is above them.
    await page.setViewportSize({ width: 390, height: 480 });
    await expect.poll(async () => (await geometry(page)).visible.bottom).toBe(480);
    await page.keyboard.type("\n# typed with the keyboard open");
    await expect.poll(async () => typingProblems(await geometry(page))).toEqual([]);
    await page.screenshot({ path: join(tmpdir(), "tree-editor-keyboard-resize-390x480.png") });

    // Only the visual viewport shrinks and moves down inside the layout viewport (what Chrome on
    // Android and Safari do for the keyboard: innerHeight stays, visualViewport does not). Headless
    // Chromium moves it by a page zoom plus a wheel scroll, which pans the visual viewport first.
    await page.setViewportSize({ width: 390, height: 844 });
    const cdp = await visitor.newCDPSession(page);
    await cdp.send("Emulation.setPageScaleFactor", { pageScaleFactor: 1.6 });
    // Over the key bar (the screen's bottom row), whose wheel goes on to the viewport, not the editor.
    await page.mouse.move(200, 820);
    await page.mouse.wheel(0, 120);
    await expect.poll(() => page.evaluate(() => [window.visualViewport!.offsetTop > 0, window.visualViewport!.height < window.innerHeight - 100])).toEqual([true, true]);
    await expect.poll(async () => typingProblems(await geometry(page))).toEqual([]);
    await page.keyboard.type("\n# and with the visual viewport moved");
    await expect.poll(async () => typingProblems(await geometry(page))).toEqual([]);
    await page.screenshot({ path: join(tmpdir(), "tree-editor-keyboard-visual-390x844.png") });

    // Positions are set through CSSOM, which the CSP allows: nothing was refused.
    expect((await problems()).filter((problem) => !/status of 422/.test(problem))).toEqual([]);
    await visitor.close();
  }, 90_000);
});

describe("the live tree on the editor", () => {
  it("enlarges to a full-screen dialog by tap or keyboard, and closes by Esc, Close or a tap", async () => {
    const visitor = await phoneContext(browser, " enlarge");
    const { page, problems } = await watchedPage(visitor);
    await page.goto(`${stack.baseUrl}/editor`);
    const enlarge = page.getByRole("button", { name: "Enlarge the live view of the tree" });
    const dialog = page.getByRole("dialog", { name: "The tree, live" });
    const canvasWidth = () => page.locator("[data-live-tree] canvas, [data-tree-dialog] canvas").evaluate((canvas) => canvas.getBoundingClientRect().width);
    const small = await canvasWidth();
    expect(small).toBeLessThan(200);

    await enlarge.tap();
    await dialog.waitFor();
    // The same canvas, now as wide as the screen allows, drawn at its new size.
    expect(await page.locator("[data-tree-dialog] canvas").count()).toBe(1);
    await expect.poll(canvasWidth).toBeGreaterThan(340);
    await expect.poll(() => page.locator("[data-tree-dialog] canvas").evaluate((canvas) => (canvas as HTMLCanvasElement).width)).toBeGreaterThan(600);
    expect(await page.locator("[data-tree-dialog-status]").textContent()).not.toBe("");
    expect(await seriousAxeViolations(page)).toEqual([]);
    await page.screenshot({ path: join(tmpdir(), "tree-editor-enlarged-390x844.png") });
    await page.keyboard.press("Escape");
    await dialog.waitFor({ state: "hidden" });
    await expect.poll(canvasWidth).toBeCloseTo(small, 0);
    // Back where it was, with focus on the button that opened it.
    await expect.poll(() => page.evaluate(() => document.activeElement?.matches("[data-tree-enlarge]") ?? false)).toBe(true);

    await page.keyboard.press("Enter");
    await dialog.waitFor();
    await page.getByRole("button", { name: "Close", exact: true }).tap();
    await dialog.waitFor({ state: "hidden" });
    await page.keyboard.press("Space");
    await dialog.waitFor();
    await page.locator("[data-tree-dialog-stage]").tap();
    await dialog.waitFor({ state: "hidden" });
    // The canvas goes home in the dialog's close event, a task after the dialog hides.
    await expect.poll(() => page.locator("[data-live-tree] [data-tree-enlarge] canvas").count()).toBe(1);
    // axe adds a <style> element the CSP refuses: only problems from before it ran count.
    expect((await problems()).filter((problem) => !/style-src-elem/.test(problem))).toEqual([]);
    await visitor.close();
  }, 60_000);
});
