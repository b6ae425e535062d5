/**
 * Examples and docs into the editor, in real headless Chromium on a phone against the real stack:
 * every starter example opens with one link and previews with Try it (real check, real sandbox) to
 * the end without an error, and every code block of /docs opens in the editor exactly as printed.
 */
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { examples } from "../../../frontend/src/editor/examples.ts";
import { launchChromium, phoneContext, watchedPage } from "./browser.ts";
import { startStack, type Stack } from "./stack.ts";

let stack: Stack;
let browser: Browser;

beforeAll(async () => {
  stack = await startStack({ appArgs: ["--idle-show", "false", "--preview-seconds", "2", "--previews-per-minute-per-ip", "1000"] });
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

/** The editor's text, as the page saves it as the visitor's draft (300 ms after each change). */
async function editorCode(page: Page): Promise<string | null> {
  return page.evaluate(() => localStorage.getItem("code-tree.draft.v1"));
}

/** Chromium logs the live check's 422 for a program it refuses; nothing else is expected. */
const expectedNetworkLines = (problem: string) => /status of 422/.test(problem);

describe("examples", () => {
  it("each opens with one link and previews to the end without an error", async () => {
    const visitor = await phoneContext(browser, " examples");
    const { page, problems } = await watchedPage(visitor);
    // A draft of the visitor's own first, so each example visibly replaces something.
    await page.goto(`${stack.baseUrl}/editor#code=${encodeURIComponent("setLEDs([GOLD] * getLEDCount())\n")}`);
    await expect.poll(() => editorCode(page)).toBe("setLEDs([GOLD] * getLEDCount())\n");
    for (const example of examples) {
      await page.goto(`${stack.baseUrl}/editor#example=${example.id}`);
      await page.locator(".cm-content").waitFor();
      await expect.poll(() => editorCode(page), { timeout: 5000 }).toBe(example.code);
      expect(new URL(page.url()).hash, "the link is dropped so a reload keeps edits").toBe("");
      const message = page.locator("[data-editor-message]");
      expect(await message.textContent()).toContain(`Opened “${example.title}”`);

      await page.getByRole("button", { name: "Try it" }).click();
      const panel = page.locator("[data-preview-tree]");
      await expect
        .poll(async () => `${await panel.getAttribute("data-state")}: ${await message.textContent()}`, { timeout: 30_000 })
        .toMatch(/^(completed|timeout|failed|rejected|refused):/);
      expect(await panel.getAttribute("data-state"), `${example.id}: ${await message.textContent()}`).toMatch(/^(completed|timeout)$/);
      expect(Number(await panel.getAttribute("data-frames")), example.id).toBeGreaterThan(0);
      expect(await message.textContent(), example.id).not.toMatch(/smoothed|error/i);
      expect(await page.locator(".cm-error-line").count(), example.id).toBe(0);
    }
    expect((await problems()).filter((problem) => !expectedNetworkLines(problem))).toEqual([]);
    await visitor.close();
  }, 240_000);

  it("a link to an unknown example explains itself and keeps the visitor's code", async () => {
    const visitor = await phoneContext(browser, " unknown-example");
    const { page } = await watchedPage(visitor);
    await page.goto(`${stack.baseUrl}/editor#example=fire`);
    await expect.poll(() => editorCode(page)).toBe(examples.find((example) => example.id === "fire")!.code);
    await page.goto(`${stack.baseUrl}/editor#example=%3Cimg%20src%3Dx%3E`);
    await page.locator(".cm-content").waitFor();
    const message = page.locator("[data-editor-message]");
    await expect.poll(() => message.textContent()).toContain("That example does not exist");
    expect(await editorCode(page)).toBe(examples.find((example) => example.id === "fire")!.code);
    await visitor.close();
  }, 60_000);
});

describe("/docs", () => {
  it("every code block has Open in editor, which opens exactly that code", async () => {
    const visitor = await phoneContext(browser, " docs-open");
    const { page, problems } = await watchedPage(visitor);
    await page.goto(`${stack.baseUrl}/docs`);
    const blocks = page.locator("article.docs pre:has(code.language-python)");
    const count = await blocks.count();
    expect(count).toBeGreaterThanOrEqual(examples.length + 5);
    for (let i = 0; i < count; i++) {
      // Every block is followed by its link (the gallery's code sits in a <details> after its link).
      const link = blocks.nth(i).locator("xpath=(following::a[starts-with(@href, '/editor#')] | ancestor::section[1]//a[starts-with(@href, '/editor#')])[1]");
      expect(await link.textContent(), `block ${i}`).toMatch(/^Open in editor/);
    }
    const guideBlocks = await page.locator("article.docs > pre code.language-python").allTextContents();
    expect(guideBlocks.length).toBeGreaterThan(3);
    expect(await page.locator("article.docs > p.code-actions a").count()).toBe(guideBlocks.length);
    await page.screenshot({ path: join(tmpdir(), "tree-docs-390x844.png") });
    await page.locator("#examples").evaluate((heading) => heading.scrollIntoView());
    await page.screenshot({ path: join(tmpdir(), "tree-docs-examples-390x844.png") });

    // Tapping the third block's link opens it in the editor, character for character.
    const third = page.locator("article.docs > p.code-actions a").nth(2);
    await third.scrollIntoViewIfNeeded();
    await third.tap();
    await page.waitForURL(/\/editor$/);
    await expect.poll(() => editorCode(page), { timeout: 5000 }).toBe(`${guideBlocks[2]}\n`);
    expect(await page.locator("[data-editor-message]").textContent()).toContain("Opened the code from the link");
    await page.screenshot({ path: join(tmpdir(), "tree-editor-from-docs-390x844.png") });

    // …and previews.
    await page.getByRole("button", { name: "Try it" }).click();
    const panel = page.locator("[data-preview-tree]");
    await expect.poll(() => panel.getAttribute("data-state"), { timeout: 30_000 }).toMatch(/^(completed|timeout)$/);
    expect((await problems()).filter((problem) => !expectedNetworkLines(problem))).toEqual([]);
    await visitor.close();
  }, 90_000);
});
