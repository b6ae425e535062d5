/**
 * A visitor's turn in real headless Chromium against the real stack: the docs'
 * one-shot program ends at once, yet its last frame stays on the (virtual) tree
 * and the queue page says "showing your last frame"; a program that runs its
 * whole slot reads as a success, not an error; and a twin browser (same
 * address, same User-Agent, its own cookies) sees none of it as its own.
 */
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchChromium, phoneContext, watchedPage } from "./browser.ts";
import { waitForCanvasColour } from "./canvas.ts";
import { startStack, type Stack } from "./stack.ts";

let stack: Stack;
let browser: Browser;
const slotSeconds = 5;

beforeAll(async () => {
  stack = await startStack({
    appArgs: ["--idle-show", "false", "--slot-seconds", String(slotSeconds), "--min-show-seconds", "3", "--idle-after-seconds", "60", "--uploads-per-minute-per-ip", "100"],
  });
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

async function runFromEditor(page: Page, code: string): Promise<string> {
  await page.goto(`${stack.baseUrl}/editor`);
  await page.locator(".cm-content").click();
  await page.keyboard.press("Control+A");
  await page.keyboard.insertText(code);
  await page.getByRole("button", { name: "Run on the tree" }).click();
  await page.waitForURL(/\/queue\?highlight=/);
  return new URL(page.url()).searchParams.get("highlight")!;
}

describe("a visitor's turn", () => {
  it("holds the last frame, tells a full slot as a success, and gives a twin browser nothing", async () => {
    // Two contexts with the very same phone User-Agent on the same address: twins with separate cookie jars.
    const owner = await phoneContext(browser);
    const twin = await phoneContext(browser);
    const mine = await watchedPage(owner);
    const theirs = await watchedPage(twin);

    const uuid = await runFromEditor(mine.page, "setLEDs([BLUE] * getLEDCount())\n");
    const summary = mine.page.locator("[data-mine-summary]");
    await expect.poll(() => summary.textContent(), { timeout: 20_000 }).toContain("showing your last frame");
    expect(await summary.textContent()).toContain("Ran to the end.");
    expect(await mine.page.locator("[data-running] [data-last-frame]").getAttribute("data-last-frame")).toBe("mine");
    expect(await mine.page.locator("[data-running]").textContent()).toContain("showing your last frame");
    await waitForCanvasColour(mine.page, "blue", 200, 10_000);

    // The twin sees the same tree, as someone else's last frame, with nothing of it its own.
    await theirs.page.goto(`${stack.baseUrl}/queue`);
    const twinsRunning = theirs.page.locator("[data-running] [data-last-frame]");
    await twinsRunning.waitFor({ timeout: 10_000 });
    expect(await twinsRunning.getAttribute("data-last-frame")).toBe("other");
    expect(await twinsRunning.textContent()).toContain(`last frame of ${uuid.slice(0, 8)}`);
    const twinsItem = theirs.page.locator(`li[data-uuid="${uuid}"]`);
    expect(await twinsItem.getAttribute("data-mine")).toBeNull();
    expect(await twinsItem.locator(".badge-other").textContent()).toBe("someone else");
    expect(await twinsItem.locator("details.result").count()).toBe(0);

    // Still blue a few seconds on: nobody waits, so the hold lasts.
    await mine.page.waitForTimeout(3_000);
    await waitForCanvasColour(mine.page, "blue", 200, 2_000);
    expect(await mine.page.locator("[data-running]").textContent()).toContain("showing your last frame");

    // A program that animates for ever runs its whole slot: "done", a success, no red error box.
    const forever = await runFromEditor(mine.page, "import time\nwhile True:\n    setLEDs([GREEN] * getLEDCount())\n    time.sleep(0.5)\n");
    const item = mine.page.locator(`[data-recent] li[data-uuid="${forever}"]`);
    await item.waitFor({ timeout: 30_000 });
    expect(await item.getAttribute("data-status")).toBe("completed");
    expect(await item.locator("[data-reason]").textContent()).toBe(`Ran its full ${slotSeconds} s turn.`);
    await item.locator("details.result summary").waitFor({ timeout: 10_000 });
    expect(await item.locator(".output-error").count()).toBe(0);
    expect(await item.locator("details.result summary").textContent()).toMatch(/^Ran its full 5 s turn · /);

    // The twin cannot cancel the owner's waiting program, and sees no Cancel button for it. Two
    // whole-slot programs ahead keep it waiting long enough on a busy machine.
    const redForever = "import time\nwhile True:\n    setLEDs([RED] * getLEDCount())\n    time.sleep(0.5)\n";
    const blockers = [await runFromEditor(mine.page, redForever), await runFromEditor(mine.page, redForever)];
    const waiting = await runFromEditor(mine.page, "setLEDs([BLUE] * getLEDCount())\n");
    const twinsWaiting = theirs.page.locator(`[data-pending] li[data-uuid="${waiting}"]`);
    await twinsWaiting.waitFor({ timeout: 10_000 });
    expect(await twinsWaiting.locator("[data-cancel]").count()).toBe(0);
    const refused = await theirs.page.evaluate(async (id) => (await fetch(`/api/submissions/${id}`, { method: "DELETE" })).status, waiting);
    expect(refused).toBe(403);
    await mine.page.locator(`[data-pending] li[data-uuid="${waiting}"] [data-cancel]`).click();
    await expect.poll(() => mine.page.locator(`[data-recent] li[data-uuid="${waiting}"] [data-reason]`).textContent(), { timeout: 10_000 }).toBe("Cancelled by you.");
    expect(blockers.every((id) => id !== waiting)).toBe(true);

    expect(await mine.problems()).toEqual([]);
    // The one refused DELETE above is the twin's own, expected 403; nothing else went wrong.
    expect(await theirs.problems()).toEqual(["console: Failed to load resource: the server responded with a status of 403 (Forbidden)"]);
    await owner.close();
    await twin.close();
  }, 120_000);

  it("answers a refused form upload with a page that shows the error and leads back to the editor", async () => {
    const context = await phoneContext(browser, " refused-form");
    const { page, problems } = await watchedPage(context);
    await page.goto(`${stack.baseUrl}/editor`);
    await page.locator("details.upload-file summary").click();
    await page.locator('input[type="file"][name="file"]').setInputFiles({ name: "lights.py", mimeType: "text/x-python", buffer: Buffer.from("x = 1\nimport os\n") });
    await page.locator("details.upload-file").getByRole("button", { name: "Upload" }).click();
    await page.locator("[data-refused]").waitFor({ timeout: 10_000 });
    expect(await page.locator("h1").textContent()).toBe("Your program needs a fix first");
    expect(await page.locator("main").textContent()).toContain("Line 2");
    expect(await page.locator("[data-error]").textContent()).toMatch(/os/);
    await page.locator("[data-back]").click();
    await page.waitForURL(/\/editor$/);
    await page.locator(".cm-content").waitFor();
    expect(await problems()).toEqual(["console: Failed to load resource: the server responded with a status of 422 (Unprocessable Entity)"]);
    await context.close();
  }, 30_000);
});
