/**
 * Try it and inline runtime errors, in real headless Chromium on a phone-sized screen against the
 * real stack (real check, real sandbox, tree-gpio on the simulated strip): a preview draws on the
 * visitor's own tree on the page and never on the strip, an error marks its line in the editor, and
 * an error of the program's run on the tree is marked too when the visitor comes back to the editor.
 */
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DaemonClient } from "../../../appliance/src/daemon-client/client.ts";
import { launchChromium, phoneContext, watchedPage } from "./browser.ts";
import { countCanvasColours, type ColourCounts } from "./canvas.ts";
import { startStack, type Stack } from "./stack.ts";

let stack: Stack;
let browser: Browser;

beforeAll(async () => {
  // No idle show: the strip stays dark and its frame count still unless a tree run shows something.
  stack = await startStack({ appArgs: ["--idle-show", "false", "--preview-seconds", "6"] });
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

/** Frames the simulated strip has shown since the daemon started (its own count, after the limiter). */
async function stripFrames(): Promise<number> {
  const observer = new DaemonClient({ socketPath: stack.gpioSocket });
  try {
    if (!(await observer.start())) throw new Error(`the daemon does not answer\n${stack.logs()}`);
    const snapshot = await observer.snapshot();
    if (snapshot === null) throw new Error("no snapshot");
    return snapshot.frames;
  } finally {
    observer.stop();
  }
}

async function setEditorCode(page: Page, code: string): Promise<void> {
  await page.locator(".cm-content").click();
  await page.keyboard.press("Control+A");
  await page.keyboard.insertText(code);
}

/** Chromium logs refused requests itself; until POST /api/check exists, its 404 is expected too. */
const expectedNetworkLines = (problem: string) => /status of (404|422)/.test(problem);

const previewCanvas = "[data-preview-tree] .tree-canvas";
const liveCanvas = "[data-live-tree] .tree-canvas";

/** Polls the preview tree's canvas until it shows at least `minimum` pixels of the colour. */
async function waitForPreviewColour(page: Page, colour: keyof ColourCounts, minimum: number, timeoutMs: number): Promise<ColourCounts> {
  const deadline = Date.now() + timeoutMs;
  let last = await countCanvasColours(page, previewCanvas);
  while (last[colour] < minimum) {
    if (Date.now() > deadline) throw new Error(`the preview tree never showed ${minimum} ${colour} pixels (last: ${JSON.stringify(last)})\n${stack.logs()}`);
    await page.waitForTimeout(200);
    last = await countCanvasColours(page, previewCanvas);
  }
  return last;
}

describe("Try it", () => {
  it("marks a runtime error on line 2 in the editor, with the traceback, and leaves the strip alone", async () => {
    const visitor = await phoneContext(browser, " preview-error");
    const { page, problems } = await watchedPage(visitor);
    await page.goto(`${stack.baseUrl}/editor`);
    await page.locator(".cm-content").waitFor();
    const before = await stripFrames();

    // Line 1 lights the preview red; line 2 raises.
    await setEditorCode(page, "setLEDs([[255, 0, 0, 100]] * getLEDCount())\nsetLEDs([RED] * 10)\n");
    await page.getByRole("button", { name: "Try it" }).click();

    const message = page.locator("[data-editor-message]");
    await expect.poll(() => message.getAttribute("data-line"), { timeout: 20_000 }).toBe("2");
    expect(await message.textContent()).toMatch(/preview stopped with an error on line 2: ValueError: setLEDs needs exactly 50/);
    expect(await message.locator("pre").textContent()).toContain('File "program.py", line 2');

    // The second line of the editor is marked, with the error's words under it.
    const errorLines = page.locator(".cm-line.cm-error-line");
    expect(await errorLines.count()).toBe(1);
    expect(await errorLines.textContent()).toBe("setLEDs([RED] * 10)");
    expect(await page.locator(".cm-error-mark").textContent()).toBe("setLEDs");
    const note = page.locator(".cm-error-note");
    expect(await note.textContent()).toContain("ValueError: setLEDs needs exactly 50 states");
    expect(await note.getAttribute("title")).toContain("Traceback (most recent call last)");

    // The frame line 1 showed is on the visitor's own preview tree, and nowhere else.
    const panel = page.locator("[data-preview-tree]");
    expect(await panel.getAttribute("data-state")).toBe("failed");
    const onPreview = await waitForPreviewColour(page, "red", 100, 5000);
    expect(onPreview.blue).toBeLessThan(onPreview.red / 10);
    expect((await countCanvasColours(page, liveCanvas)).red).toBeLessThan(onPreview.red / 10);
    expect(await stripFrames()).toBe(before);
    await page.screenshot({ path: join(tmpdir(), "tree-preview-error-390x844.png") });

    expect((await problems()).filter((problem) => !expectedNetworkLines(problem))).toEqual([]);
    await visitor.close();
  }, 60_000);

  it("draws a good program on the page's own tree, never on the strip, and fits a phone", async () => {
    const visitor = await phoneContext(browser, " preview-good");
    const { page, problems } = await watchedPage(visitor);
    await page.goto(`${stack.baseUrl}/editor`);
    await page.locator(".cm-content").waitFor();
    const before = await stripFrames();

    await setEditorCode(page, "import time\n\nn = getLEDCount()\nsetLEDs([[0, 0, 255, 100] for i in range(n)])\nprint('hello from the preview')\ntime.sleep(2)\n");
    await page.getByRole("button", { name: "Try it" }).click();
    const panel = page.locator("[data-preview-tree]");
    await panel.waitFor({ state: "visible" });
    const blue = await waitForPreviewColour(page, "blue", 200, 20_000);
    expect(blue.red).toBeLessThan(blue.blue / 10);
    expect(Number(await panel.getAttribute("data-frames"))).toBeGreaterThan(0);
    expect(await panel.locator("[data-preview-status]").textContent()).toMatch(/only you see this|Starting/);

    // The real tree's view and the strip stay dark: the preview's frames went to this page only
    // (a dark tree's faint bulbs leave a few stray anti-aliased pixels, nothing like a lit tree).
    expect((await countCanvasColours(page, liveCanvas)).blue).toBeLessThan(blue.blue / 10);

    // For a person to look at (not compared): the editor with its preview on a 390×844 phone.
    await page.screenshot({ path: join(tmpdir(), "tree-preview-390x844.png") });

    await expect.poll(() => panel.getAttribute("data-state"), { timeout: 15_000 }).toBe("completed");
    const message = page.locator("[data-editor-message]");
    expect(await message.textContent()).toMatch(/Preview done: \d+ frames?\. Looks right\?/);
    expect(await message.locator("pre").textContent()).toBe("hello from the preview\n");
    expect(await page.locator(".cm-error-line").count()).toBe(0);
    expect(await stripFrames()).toBe(before);

    // Nothing scrolls sideways on a 390 px wide phone.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    expect((await problems()).filter((problem) => !expectedNetworkLines(problem))).toEqual([]);
    await visitor.close();
  }, 60_000);
});

describe("a runtime error of the program's run on the tree", () => {
  it("is marked at its line when the visitor comes back to the editor", async () => {
    const visitor = await phoneContext(browser, " tree-error");
    const { page, problems } = await watchedPage(visitor);
    await page.goto(`${stack.baseUrl}/editor`);
    await page.locator(".cm-content").waitFor();
    await setEditorCode(page, "n = getLEDCount()\nsetLEDs([[0, 255, 0, 100]] * n)\nx = [1, 2, 3][n]\n");
    await page.getByRole("button", { name: "Run on the tree" }).click();
    await page.waitForURL(/\/queue\?highlight=/);
    const uuid = new URL(page.url()).searchParams.get("highlight")!;
    await expect
      .poll(() => page.evaluate(async (id) => ((await (await fetch(`/api/submissions/${id}`)).json()) as { status: string }).status, uuid), { timeout: 30_000 })
      .toBe("failed");

    await page.goto(`${stack.baseUrl}/editor`);
    const message = page.locator("[data-editor-message]");
    await expect.poll(() => message.getAttribute("data-line"), { timeout: 10_000 }).toBe("3");
    expect(await message.textContent()).toMatch(/on the tree stopped with an error on line 3: IndexError/);
    expect(await page.locator(".cm-line.cm-error-line").textContent()).toBe("x = [1, 2, 3][n]");
    expect(await page.locator(".cm-error-note").textContent()).toContain("IndexError");

    // Once the program is edited the old error no longer applies.
    await page.locator(".cm-content").press("Control+End");
    await page.keyboard.type("\n");
    await expect.poll(() => page.locator(".cm-error-line").count()).toBe(0);
    expect((await problems()).filter((problem) => !expectedNetworkLines(problem))).toEqual([]);
    await visitor.close();
  }, 60_000);
});

describe("checks as you type", () => {
  it("marks the problem POST /api/check names once typing pauses, without moving the cursor", async () => {
    const visitor = await phoneContext(browser, " typing");
    const { page, problems } = await watchedPage(visitor);
    // This test is about the editor's side of the contract, so the page's /api/check is answered here:
    // a `for` line without its colon is the problem.
    const asked: string[] = [];
    await page.route("**/api/check", async (route) => {
      const { code } = route.request().postDataJSON() as { code: string };
      asked.push(code);
      const lines = code.split("\n");
      const bad = lines.findIndex((line) => /^for .*[^:]$/.test(line));
      await route.fulfill({
        json: bad === -1 ? { ok: true, error: null, line: null, column: null } : { ok: false, error: "expected ':'", line: bad + 1, column: lines[bad]!.length + 1 },
      });
    });
    await page.goto(`${stack.baseUrl}/editor`);
    await page.locator(".cm-content").waitFor();
    await setEditorCode(page, "n = getLEDCount()\n");
    const before = asked.length;
    await page.keyboard.type("for i in range(n)\n    setLEDs([BLUE] * n)", { delay: 20 });

    await expect.poll(() => page.locator(".cm-line.cm-error-line").count(), { timeout: 5000 }).toBe(1);
    expect(await page.locator(".cm-line.cm-error-line").textContent()).toBe("for i in range(n)");
    expect(await page.locator(".cm-error-note").textContent()).toBe("expected ':'");
    // Typed keystroke by keystroke, checked once or twice: after pauses, not per key.
    expect(asked.length - before).toBeLessThanOrEqual(3);
    // The cursor stayed where the visitor was typing: the next key lands at the end, not on line 2.
    await page.keyboard.type("  # ok");
    expect(await page.locator(".cm-line").nth(2).textContent()).toBe("    setLEDs([BLUE] * n)  # ok");

    // Fixing the line clears the mark, and the next check finds nothing.
    await page.locator(".cm-line").nth(1).click();
    await page.keyboard.press("End");
    await page.keyboard.type(":");
    await expect.poll(() => asked.at(-1)?.includes("range(n):"), { timeout: 5000 }).toBe(true);
    await page.waitForTimeout(300);
    expect(await page.locator(".cm-error-line").count()).toBe(0);
    expect(await problems()).toEqual([]);
    await visitor.close();
  }, 60_000);
});
