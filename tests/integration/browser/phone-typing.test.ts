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
    await page.keyboard.type("GOL");
    await page.locator(".cm-tooltip-autocomplete li", { hasText: "GOLD" }).waitFor();
    await page.waitForTimeout(150); // CodeMirror ignores Enter in the first 75 ms of a list (a typist's Enter meant a newline)
    await page.keyboard.press("Enter");
    await expect.poll(() => draft(page)).toBe("setLEDs([GOLD])");
    // "]" over the closing bracket steps over it rather than adding one.
    await key(page, "]").tap();
    for (const label of [" ", "*", " "]) label === " " ? await page.keyboard.type(" ") : await key(page, label).tap();
    await page.keyboard.type("getLEDCount");
    await page.keyboard.press("Escape");
    await key(page, "(").scrollIntoViewIfNeeded();
    await key(page, "(").tap();
    await expect.poll(() => draft(page)).toBe("setLEDs([GOLD] * getLEDCount())");

    // Undo from the key bar takes back the last change (CodeMirror groups changes less than 0.5 s apart).
    await page.waitForTimeout(600);
    await key(page, ",").scrollIntoViewIfNeeded();
    await key(page, ",").tap();
    await expect.poll(() => draft(page)).toBe("setLEDs([GOLD] * getLEDCount(,))");
    await page.waitForTimeout(600);
    await key(page, "↶").scrollIntoViewIfNeeded();
    await key(page, "↶").tap();
    await expect.poll(() => draft(page)).toBe("setLEDs([GOLD] * getLEDCount())");

    // A long line wraps instead of pushing the code's start out of view.
    await page.keyboard.press("Control+End");
    await page.keyboard.type("\n# a long comment that is much wider than a phone's screen, so it has to wrap onto a second line");
    const scroller = page.locator(".cm-scroller");
    expect(await scroller.evaluate((element) => element.scrollWidth <= element.clientWidth)).toBe(true);
    await page.screenshot({ path: join(tmpdir(), "tree-editor-typed-390x844.png") });

    await page.getByRole("button", { name: "Try it" }).click();
    const panel = page.locator("[data-preview-tree]");
    await expect.poll(() => panel.getAttribute("data-state"), { timeout: 30_000 }).toMatch(/^(completed|timeout)$/);
    expect(Number(await panel.getAttribute("data-frames"))).toBeGreaterThan(0);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    expect((await problems()).filter((problem) => !/status of 422/.test(problem))).toEqual([]);
    await visitor.close();
  }, 90_000);
});
