/**
 * The gallery in real headless Chromium at 390×844 against the real stack (real check, sandbox and
 * simulated strip): a visitor runs a program from the editor and shares it with a title from the
 * queue page; another visitor, in a browser of their own, finds it on /gallery with the title
 * shown as text, previews it on the little tree, and remixes it into the editor; the operator hides
 * it and it is gone for visitors.
 */
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchChromium, phoneContext, watchedPage } from "./browser.ts";
import { startStack, type Stack } from "./stack.ts";

const operatorPassword = "correct horse battery";
let stack: Stack;
let browser: Browser;

beforeAll(async () => {
  stack = await startStack({
    appArgs: ["--idle-show", "false", "--min-show-seconds", "0", "--idle-after-seconds", "0", "--uploads-per-minute-per-ip", "100"],
    appEnv: { TREE_APP_OPERATOR_PASSWORD: operatorPassword },
  });
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

/** A title a careless page would turn into markup. */
/** Screenshots for a person to look at (like the accessibility test's). */
const screenshot = (page: Page, name: string) => page.screenshot({ path: join(tmpdir(), `tree-gallery-${name}-390x844.png`) });

const title = `<b>Snow</b> & "ice" <img src=x>`;
const program = "# shared snow\nn = getLEDCount()\nsetLEDs([[200, 220, 255, 60] for i in range(n)])\n";

async function setEditorCode(page: Page, code: string): Promise<void> {
  await page.locator(".cm-content").click();
  await page.keyboard.press("Control+A");
  await page.keyboard.insertText(code);
}

describe("the gallery", () => {
  it("shares a run with a title, lists it for another visitor, previews it, remixes it, and the operator hides it", async () => {
    // The owner runs a program and shares it from the queue page.
    const owner = await phoneContext(browser, " gallery-owner");
    const ownerPage = await watchedPage(owner);
    const page = ownerPage.page;
    await page.goto(`${stack.baseUrl}/editor`);
    await page.locator(".cm-content").waitFor();
    await setEditorCode(page, program);
    await page.getByRole("button", { name: "Run on the tree" }).click();
    await page.waitForURL(/\/queue\?highlight=/);
    const uuid = new URL(page.url()).searchParams.get("highlight")!;
    const ours = page.locator(`li[data-uuid="${uuid}"]`);
    await ours.locator("[data-share]").waitFor({ timeout: 30_000 });
    await ours.locator("[data-share]").click();
    const dialog = page.locator("[data-share-dialog]");
    await dialog.waitFor({ state: "visible" });
    await dialog.getByLabel("Title (optional, up to 60 characters)").fill(title);
    await screenshot(page, "share-dialog");
    await dialog.getByRole("button", { name: "Share", exact: true }).click();
    await dialog.waitFor({ state: "hidden" });
    await ours.locator('[data-gallery-state="shared"]').waitFor({ timeout: 10_000 });
    expect(await ours.locator('[data-gallery-state="shared"]').textContent()).toContain(`Shared as “${title}”`);
    await screenshot(page, "queue-shared");

    // Another visitor finds it in the gallery, as text.
    const other = await phoneContext(browser, " gallery-visitor");
    const otherPage = await watchedPage(other);
    const visitor = otherPage.page;
    await visitor.goto(`${stack.baseUrl}/gallery`);
    const card = visitor.locator(`li.gallery-entry[data-uuid="${uuid}"]`);
    await card.waitFor({ timeout: 10_000 });
    expect(await card.locator("h2").textContent()).toBe(title);
    expect(await card.locator("b, img").count()).toBe(0);
    expect(await card.locator("pre code").textContent()).toBe(program);
    expect(await card.locator("time").getAttribute("datetime")).toMatch(/^\d{4}-\d\d-\d\dT/);
    expect(await card.locator("[data-unshare], [data-hide]").count()).toBe(0);
    expect(await visitor.locator("[data-operator-note]").isVisible()).toBe(false);
    expect(await visitor.evaluate((width) => document.documentElement.scrollWidth > width, 390)).toBe(false);

    // Try it: the preview plays in the card, for this browser only.
    await card.locator("[data-try]").click();
    const panel = card.locator("[data-preview-tree]");
    await panel.waitFor({ state: "visible" });
    await expect.poll(() => panel.getAttribute("data-state"), { timeout: 30_000 }).toBe("completed");
    expect(Number(await panel.getAttribute("data-frames"))).toBeGreaterThan(0);
    expect(await panel.locator("[data-preview-status]").textContent()).toMatch(/Ran to the end/);
    await screenshot(visitor, "preview");

    // Remix: one tap opens the editor with the code.
    await card.locator("[data-remix]").click();
    await visitor.waitForURL(/\/editor/);
    await expect.poll(() => visitor.locator(".cm-content").textContent(), { timeout: 10_000 }).toContain("# shared snow");
    expect(await visitor.locator(".cm-content").textContent()).toContain("setLEDs([[200, 220, 255, 60] for i in range(n)])");

    // The operator signs in and hides it from the gallery page.
    const operatorContext = await phoneContext(browser, " gallery-operator");
    const operatorWatch = await watchedPage(operatorContext);
    const op = operatorWatch.page;
    await op.goto(`${stack.baseUrl}/operator`);
    await op.locator("#operator-password").fill(operatorPassword);
    await op.locator("#operator-password").press("Enter");
    await op.locator("[data-operator-panel]").waitFor({ state: "visible" });
    await op.goto(`${stack.baseUrl}/gallery`);
    await op.locator("[data-operator-note]").waitFor({ state: "visible" });
    const operatorCard = op.locator(`li.gallery-entry[data-uuid="${uuid}"]`);
    await operatorCard.locator('[data-hide="hide"]').click();
    await operatorCard.locator('[data-hide="unhide"]').waitFor();
    expect(await op.locator(`li.gallery-entry[data-uuid="${uuid}"]`).getAttribute("data-hidden")).toBe("");
    await screenshot(op, "operator-hidden");

    await visitor.goto(`${stack.baseUrl}/gallery`);
    await visitor.locator("[data-gallery-status]").filter({ hasText: /Nothing is shared yet/ }).waitFor({ timeout: 10_000 });
    expect(await visitor.locator(`li.gallery-entry[data-uuid="${uuid}"]`).count()).toBe(0);
    // The owner's queue page says so.
    await ours.locator('[data-gallery-state="hidden"]').waitFor({ timeout: 10_000 });
    await screenshot(page, "queue-hidden");

    expect(await ownerPage.problems()).toEqual([]);
    expect(await otherPage.problems()).toEqual([]);
    // The operator page asks for its state before login; the 401 is how it learns to show the form.
    expect((await operatorWatch.problems()).filter((problem) => !problem.includes("status of 401"))).toEqual([]);
    await owner.close();
    await other.close();
    await operatorContext.close();
  }, 120_000);

  it("lets the owner stop sharing from the gallery page", async () => {
    const owner = await phoneContext(browser, " gallery-unsharer");
    const { page, problems } = await watchedPage(owner);
    await page.goto(`${stack.baseUrl}/gallery`);
    // Upload and share through the page's own cookie jar: the same browser as the page.
    const uploaded = await page.request.post(`${stack.baseUrl}/upload`, { data: { code: "setLEDs([[0, 0, 255, 50]] * getLEDCount())\n" } });
    expect(uploaded.status()).toBe(201);
    const { uuid } = (await uploaded.json()) as { uuid: string };
    await expect
      .poll(async () => ((await (await page.request.get(`${stack.baseUrl}/api/submissions/${uuid}`)).json()) as { gallery?: { shareable: boolean } }).gallery?.shareable, { timeout: 30_000 })
      .toBe(true);
    const shared = await page.request.post(`${stack.baseUrl}/api/submissions/${uuid}/share`, { data: { title: "Blue for a moment" } });
    expect(shared.status()).toBe(200);

    await page.reload();
    const card = page.locator(`li.gallery-entry[data-uuid="${uuid}"]`);
    await card.waitFor({ timeout: 10_000 });
    expect(await card.locator(".badge-mine").textContent()).toBe("yours");
    await card.locator("[data-unshare]").click();
    await card.waitFor({ state: "detached" });
    expect(await page.locator("[data-gallery-message]").textContent()).toMatch(/No longer shared/);
    const listed = (await (await page.request.get(`${stack.baseUrl}/api/gallery`)).json()) as { entries: { uuid: string }[] };
    expect(listed.entries.map((entry) => entry.uuid)).not.toContain(uuid);
    expect(await problems()).toEqual([]);
    await owner.close();
  }, 60_000);
});
