/**
 * Every page in real headless Chromium on a phone screen against the real stack: no console errors
 * or CSP refusals, nothing wider than the screen; the docs, the QR sheet (with the Wi-Fi code), the
 * operator view, a visitor's own output shown as text (never markup), and cancelling.
 */
import QRCode from "qrcode";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { pages } from "../../../frontend/build/pages.ts";
import { launchChromium, phoneContext, watchedPage } from "./browser.ts";
import { startStack, type Stack } from "./stack.ts";

const operatorPassword = "correct horse battery";
let stack: Stack;
let browser: Browser;

beforeAll(async () => {
  stack = await startStack({
    appArgs: ["--idle-show", "false", "--uploads-per-minute-per-ip", "100", "--max-pending-per-user", "10", "--wifi-ssid", 'Tree; "Guest"', "--wifi-password", "lights:on"],
    appEnv: { TREE_APP_OPERATOR_PASSWORD: operatorPassword },
  });
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

/** Against the screen's width, not innerWidth: a mobile browser widens its layout viewport to fit overflowing content. */
async function pageWiderThanScreen(page: Page): Promise<boolean> {
  return page.evaluate((width) => document.documentElement.scrollWidth > width, page.viewportSize()!.width);
}

async function uploadAsSomeoneElse(code: string): Promise<string> {
  const response = await fetch(`${stack.baseUrl}/upload`, {
    method: "POST",
    headers: { "content-type": "application/json", "user-agent": "someone-else/1.0" },
    body: JSON.stringify({ code }),
  });
  const body = (await response.json()) as { uuid?: string; message?: string };
  if (response.status !== 201 || body.uuid === undefined) throw new Error(`upload refused (${response.status}): ${body.message}`);
  return body.uuid;
}

describe("every page", () => {
  it("loads cleanly on a phone: no errors, no CSP refusals, nothing wider than the screen", async () => {
    const context = await phoneContext(browser, " page-tour");
    const { page, problems } = await watchedPage(context);
    for (const path of pages.flatMap((spec) => spec.paths)) {
      const response = await page.goto(`${stack.baseUrl}${path}`);
      expect(response?.status(), path).toBe(200);
      expect(response?.headers()["content-type"], path).toMatch(/^text\/html/);
      await page.waitForLoadState("load");
      await page.waitForTimeout(300); // let the scripts fetch what they need and draw
      expect(await pageWiderThanScreen(page), `${path} scrolls sideways`).toBe(false);
      expect(await page.title(), path).toMatch(/The Code Tree$/);
      // The operator page asks for its state before login; the 401 is how it learns to show the form.
      expect((await problems()).filter((problem) => !(path === "/operator" && problem.includes("status of 401"))), path).toEqual([]);
    }
    await context.close();
  });
});

describe("/docs", () => {
  it("shows the runner guide as rendered, highlighted HTML", async () => {
    const context = await phoneContext(browser, " docs");
    const { page } = await watchedPage(context);
    await page.goto(`${stack.baseUrl}/docs`);
    const article = page.locator("article.docs");
    expect(await article.locator("script, iframe, img[onerror]").count()).toBe(0);
    expect(await article.textContent()).toContain("getLEDCount");
    if ((await article.locator("h1, h2").count()) > 0) {
      // The guide exists: its Python examples are highlighted at build time.
      expect(await article.locator("pre code.language-python .tok-keyword").count()).toBeGreaterThan(0);
    }
    await context.close();
  });
});

describe("/qr", () => {
  it("prints the editor's address and the Wi-Fi join code as QR codes", async () => {
    const context = await phoneContext(browser, " qr");
    const { page, problems } = await watchedPage(context);
    await page.goto(`${stack.baseUrl}/qr`);
    const editorUrl = `${stack.baseUrl}/editor`;
    await expect.poll(() => page.locator("[data-editor-url]").textContent()).toBe(editorUrl);
    // The drawn code has exactly the module count the qrcode package gives this URL (plus the margin).
    const modules = QRCode.create(editorUrl, { errorCorrectionLevel: "M" }).modules.size;
    expect(await page.locator("[data-editor-qr] svg").getAttribute("viewBox")).toBe(`0 0 ${modules + 4} ${modules + 4}`);
    await page.locator("[data-wifi-card]").waitFor({ state: "visible" });
    expect(await page.locator("[data-wifi-name]").textContent()).toContain('Tree; "Guest"');
    const wifi = QRCode.create('WIFI:T:WPA;S:Tree\\; \\"Guest\\";P:lights\\:on;;', { errorCorrectionLevel: "M" }).modules.size;
    expect(await page.locator("[data-wifi-qr] svg").getAttribute("viewBox")).toBe(`0 0 ${wifi + 4} ${wifi + 4}`);
    expect(await problems()).toEqual([]);
    await context.close();
  });
});

describe("/queue", () => {
  it("shows the owner's output as text, never as markup", async () => {
    const context = await phoneContext(browser, " hostile-output");
    const { page, problems } = await watchedPage(context);
    const program = 'print("<img src=x onerror=alert(1)><b>bold</b>")\nraise ValueError("<script>alert(2)</script>")\n';
    const upload = await context.request.post(`${stack.baseUrl}/upload`, { data: { code: program } });
    expect(upload.status()).toBe(201);
    const { uuid } = (await upload.json()) as { uuid: string };
    await page.goto(`${stack.baseUrl}/queue?highlight=${uuid}`);
    const result = page.locator(`[data-recent] li[data-uuid="${uuid}"] details.result`);
    await result.waitFor({ timeout: 20_000 });
    if ((await result.getAttribute("open")) === null) await result.locator("summary").click();
    const outputs = (await result.locator("pre").allTextContents()).join("\n");
    expect(outputs).toContain("<img src=x onerror=alert(1)><b>bold</b>");
    expect(outputs).toContain("<script>alert(2)</script>");
    expect(await result.locator("img, b, script").count()).toBe(0);
    expect(await problems()).toEqual([]);
    await context.close();
  }, 40_000);

  it("lets a visitor cancel their own waiting program", async () => {
    await uploadAsSomeoneElse("import time\ntime.sleep(6)\n");
    const context = await phoneContext(browser, " canceller");
    const { page, problems } = await watchedPage(context);
    const upload = await context.request.post(`${stack.baseUrl}/upload`, { data: { code: "x = 1\n" } });
    const { uuid } = (await upload.json()) as { uuid: string };
    await page.goto(`${stack.baseUrl}/queue?highlight=${uuid}`);
    const waiting = page.locator(`[data-pending] li[data-uuid="${uuid}"]`);
    await waiting.locator("[data-cancel]").click();
    await expect.poll(() => page.locator(`[data-recent] li[data-uuid="${uuid}"]`).getAttribute("data-status"), { timeout: 10_000 }).toBe("cancelled");
    expect(await waiting.count()).toBe(0);
    expect(await problems()).toEqual([]);
    await context.close();
  }, 30_000);
});

describe("/operator", () => {
  it("logs in, pauses and resumes, removes a submission and blocks its owner", async () => {
    const context = await browser.newContext({ viewport: { width: 1024, height: 800 } });
    const { page } = await watchedPage(context);
    await page.goto(`${stack.baseUrl}/operator`);
    const password = page.locator("#operator-password");
    await password.fill("not the password");
    await password.press("Enter");
    await expect.poll(() => page.locator("[data-operator-message]").textContent()).toMatch(/wrong password/i);

    await password.fill(operatorPassword);
    await password.press("Enter");
    await page.locator("[data-operator-panel]").waitFor({ state: "visible" });

    await page.getByRole("button", { name: "Pause queue" }).click();
    await expect.poll(() => page.locator("[data-operator-panel]").getAttribute("data-paused")).toBe("true");
    const waitingUuid = await uploadAsSomeoneElse("x = 1\n");
    const row = page.locator(`[data-operator-submissions] tr[data-uuid="${waitingUuid}"]`);
    await row.waitFor({ timeout: 10_000 });

    // A visitor's queue page says the queue is paused.
    const visitor = await phoneContext(browser, " sees-pause");
    const visitorPage = await visitor.newPage();
    await visitorPage.goto(`${stack.baseUrl}/queue`);
    await visitorPage.locator('[data-banner="paused"]').waitFor({ timeout: 10_000 });
    await visitor.close();

    await row.getByRole("button", { name: "Block user" }).click();
    await page.locator("[data-confirm]").getByRole("button", { name: "Yes" }).click();
    await expect.poll(() => page.locator("[data-blocked] code").count()).toBe(1);
    await expect.poll(() => row.count()).toBe(0); // blocking removed their waiting program
    const blocked = await uploadAsSomeoneElse("x = 1\n").catch((error: Error) => error.message);
    expect(blocked).toMatch(/upload refused \(403\)/);
    await page.getByRole("button", { name: "Unblock" }).click();
    await expect.poll(() => page.locator("[data-blocked] code").count()).toBe(0);

    // Blocking the address holds whatever browser the visitor switches to.
    await page.locator("#block-user").fill("127.0.0.1");
    await page.locator("#block-user").press("Enter");
    await page.locator("[data-confirm]").getByRole("button", { name: "Yes" }).click();
    await expect.poll(() => page.locator("[data-blocked] code").allTextContents()).toEqual(["127.0.0.1"]);
    expect(await uploadAsSomeoneElse("x = 1\n").catch((error: Error) => error.message)).toMatch(/upload refused \(403\)/);
    await page.getByRole("button", { name: "Unblock" }).click();
    await expect.poll(() => page.locator("[data-blocked] code").count()).toBe(0);

    const removable = await uploadAsSomeoneElse("x = 2\n");
    await page.locator(`[data-operator-submissions] tr[data-uuid="${removable}"]`).getByRole("button", { name: "Remove" }).click();
    await page.locator("[data-confirm]").getByRole("button", { name: "Yes" }).click();
    await expect.poll(() => page.locator(`[data-operator-submissions] tr[data-uuid="${removable}"]`).count()).toBe(0);

    await page.getByRole("button", { name: "Resume queue" }).click();
    await expect.poll(() => page.locator("[data-operator-panel]").getAttribute("data-paused")).toBe("false");
    await page.getByRole("button", { name: "Log out" }).click();
    await page.locator("[data-login-form]").waitFor({ state: "visible" });
    await context.close();
  }, 40_000);
});

describe("/editor without the editor", () => {
  it("uploads a .py file with a plain form post and lands on the queue", async () => {
    const context = await phoneContext(browser, " form-upload");
    const { page, problems } = await watchedPage(context);
    await page.goto(`${stack.baseUrl}/editor`);
    await page.locator("details.upload-file summary").click();
    await page.locator('input[type="file"][name="file"]').setInputFiles({ name: "lights.py", mimeType: "text/x-python", buffer: Buffer.from("x = 1\n") });
    await page.locator("details.upload-file").getByRole("button", { name: "Upload" }).click();
    await page.waitForURL(/\/queue\?highlight=[0-9a-f-]{36}$/);
    const uuid = new URL(page.url()).searchParams.get("highlight")!;
    await page.locator(`li[data-uuid="${uuid}"] .badge-mine`).waitFor({ timeout: 10_000 });
    expect(await problems()).toEqual([]);
    await context.close();
  }, 30_000);
});
