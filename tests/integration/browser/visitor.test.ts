/**
 * A visitor's whole path in real headless Chromium on a phone-sized screen, against the real
 * tree-app (real check, real sandbox) and tree-gpio on the simulated strip: write a program in the
 * editor, Run, see it waiting and then on the tree, see the virtual tree take its colour, and see
 * that a second visitor sees it as someone else's. Plus the inline check error.
 */
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchChromium, phoneContext, watchedPage } from "./browser.ts";
import { waitForCanvasColour } from "./canvas.ts";
import { startStack, type Stack } from "./stack.ts";

let stack: Stack;
let browser: Browser;

beforeAll(async () => {
  // No idle show: between programs the strip is dark, so every colour on the canvas is a program's.
  stack = await startStack({ appArgs: ["--idle-show", "false", "--uploads-per-minute-per-ip", "100", "--max-pending-per-user", "10"] });
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

/** Replaces the editor's program the way a visitor would: focus, select all, type. */
async function setEditorCode(page: Page, code: string): Promise<void> {
  await page.locator(".cm-content").click();
  await page.keyboard.press("Control+A");
  await page.keyboard.insertText(code);
}

function solidProgram(rgb: [number, number, number], seconds: number): string {
  return `import time\n\nn = getLEDCount()\nsetLEDs([[${rgb.join(", ")}, 100] for i in range(n)])\ntime.sleep(${seconds})\n`;
}

/** Uploads straight to the API as another visitor (own user agent, so its own user_id). */
async function uploadAsSomeoneElse(code: string): Promise<string> {
  const response = await fetch(`${stack.baseUrl}/upload`, {
    method: "POST",
    headers: { "content-type": "application/json", "user-agent": "another-visitor/1.0" },
    body: JSON.stringify({ code }),
  });
  const body = (await response.json()) as { uuid?: string; message?: string };
  if (response.status !== 201 || body.uuid === undefined) throw new Error(`upload refused (${response.status}): ${body.message}\n${stack.logs()}`);
  return body.uuid;
}

describe("a visitor on a phone", () => {
  it("writes a program, runs it, waits, and watches it light the tree", async () => {
    const visitor = await phoneContext(browser);
    const { page, problems } = await watchedPage(visitor);
    await page.goto(`${stack.baseUrl}/editor`);
    await page.locator(".cm-content").waitFor();

    // Someone else's red program is on the tree first, so ours has to wait its turn.
    const first = await uploadAsSomeoneElse(solidProgram([255, 0, 0], 8));
    await setEditorCode(page, solidProgram([0, 0, 255], 10));
    await page.getByRole("button", { name: "Run on the tree" }).click();
    await page.waitForURL(/\/queue\?highlight=/);
    const uuid = new URL(page.url()).searchParams.get("highlight")!;
    expect(uuid).toMatch(/^[0-9a-f-]{36}$/);

    const ours = page.locator(`li[data-uuid="${uuid}"]`);
    await expect.poll(() => page.locator(`[data-pending] li[data-uuid="${uuid}"]`).count(), { timeout: 10_000 }).toBe(1);
    expect(await ours.getAttribute("data-mine")).toBe("");
    await expect.poll(() => ours.locator(".badge-mine").textContent()).toBe("yours");
    expect(await ours.locator("[data-countdown]").textContent()).toMatch(/^(in about .+|any moment now)$/);
    expect(await page.locator("[data-mine-summary]").textContent()).toContain("next");
    await expect.poll(() => page.locator(`[data-running] li[data-uuid="${first}"] .badge-other`).count(), { timeout: 20_000 }).toBe(1);

    // While the red program runs the virtual tree is red...
    const whileRed = await waitForCanvasColour(page, "red", 200, 20_000);
    expect(whileRed.blue).toBeLessThan(whileRed.red / 10);

    // ...then ours starts and the same tree turns blue.
    await expect.poll(() => page.locator(`[data-running] li[data-uuid="${uuid}"]`).count(), { timeout: 30_000 }).toBe(1);
    expect(await page.locator("[data-mine-summary]").getAttribute("data-status")).toBe("running");
    const whileBlue = await waitForCanvasColour(page, "blue", 200, 15_000);
    expect(whileBlue.red).toBeLessThan(whileBlue.blue / 10);

    // A second visitor sees the same program as someone else's, without a cancel button.
    const other = await phoneContext(browser, " second-visitor");
    const second = await watchedPage(other);
    await second.page.goto(`${stack.baseUrl}/queue`);
    const theirView = second.page.locator(`li[data-uuid="${uuid}"]`);
    await theirView.waitFor({ timeout: 10_000 });
    expect(await theirView.getAttribute("data-mine")).toBeNull();
    expect(await theirView.locator(".badge-other").textContent()).toBe("someone else");
    expect(await theirView.locator("[data-cancel]").count()).toBe(0);

    expect(await problems()).toEqual([]);
    expect(await second.problems()).toEqual([]);
    await visitor.close();
    await other.close();
  }, 90_000);

  it("shows a check error inline at its line and keeps the visitor on the editor", async () => {
    const visitor = await phoneContext(browser, " error-visitor");
    const { page, problems } = await watchedPage(visitor);
    await page.goto(`${stack.baseUrl}/editor`);
    await page.locator(".cm-content").waitFor();
    await setEditorCode(page, "n = getLEDCount()\nx = 1\nimport os\nsetLEDs([[0, 0, 0, 0]] * n)\n");
    await page.getByRole("button", { name: "Run on the tree" }).click();

    const message = page.locator("[data-editor-message]");
    await message.waitFor({ state: "visible", timeout: 15_000 });
    expect(await message.getAttribute("data-line")).toBe("3");
    expect(await message.textContent()).toMatch(/line 3/i);
    // The underline sits in the third line of the editor, and nowhere else.
    const marked = page.locator(".cm-line").nth(2).locator(".cm-error-mark");
    await marked.waitFor();
    expect(["import", "os"]).toContain(await marked.textContent());
    expect(await page.locator(".cm-error-mark").count()).toBe(1);
    expect(page.url()).toMatch(/\/editor$/);

    // Editing the program clears the stale error.
    await page.locator(".cm-content").press("End");
    await page.keyboard.type(" ");
    await expect.poll(() => page.locator(".cm-error-mark").count()).toBe(0);
    // Chromium logs the refused upload itself; nothing else may go wrong.
    expect((await problems()).filter((problem) => !problem.includes("status of 422"))).toEqual([]);
    await visitor.close();
  }, 30_000);

  it("keeps the draft across a reload, has extra keys for phones, and loads examples", async () => {
    const visitor = await phoneContext(browser, " draft-visitor");
    const { page, problems } = await watchedPage(visitor);
    await page.goto(`${stack.baseUrl}/editor`);
    await page.locator(".cm-content").waitFor();
    await setEditorCode(page, "# my draft 42\n");
    // The draft is saved shortly after the last keystroke.
    await expect.poll(() => page.evaluate(() => Object.values(localStorage).join("\n"))).toContain("# my draft 42");
    await page.reload();
    await page.locator(".cm-content").waitFor();
    expect(await page.locator(".cm-content").textContent()).toContain("# my draft 42");

    // The extra keys for phones: indent the line, then type a colon, without leaving the editor.
    await setEditorCode(page, "x = 1");
    await page.getByRole("button", { name: "Indent (Tab)" }).click();
    await page.getByRole("button", { name: "Colon" }).click();
    expect(await page.locator(".cm-line").first().textContent()).toBe("    x = 1:");
    expect(await page.evaluate(() => document.activeElement?.classList.contains("code-editor"))).toBe(true);

    await page.locator("[data-example-picker]").selectOption("rainbow");
    expect(await page.locator(".cm-content").textContent()).toContain("hsv(");
    expect(await problems()).toEqual([]);
    await visitor.close();
  }, 30_000);
});
