/**
 * Accessibility of every page, in real headless Chromium against the real stack, at a phone and a
 * desktop size: no serious or critical axe-core violation (WCAG 2.x A/AA and best practice), nothing
 * scrolls sideways at 200 % text (the editor checked with its completion list open too), and the editor says how to leave it with the keyboard, and that
 * works. Screenshots of each page at 390×844 are written to the temp directory for a person to look at.
 */
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seriousAxeViolations } from "./axe.ts";
import { launchChromium, phoneContext, watchedPage } from "./browser.ts";
import { queueSomeoneElsesPrograms, startWalkthroughStack, walkthroughOperatorPassword, type Stack } from "./stack.ts";

let stack: Stack;
let browser: Browser;

beforeAll(async () => {
  stack = await startWalkthroughStack();
  browser = await launchChromium();
  await runQuickPrograms();
  await queueSomeoneElsesPrograms(stack.baseUrl, ["255, 0, 0", "0, 0, 255"]);
});

/** A visitor's own cookie and two programs that ran: one shared in the gallery, one still to share. */
let galleryOwnerCookie = "";

async function runQuickPrograms(): Promise<void> {
  const uuids: string[] = [];
  for (const colour of ["0, 255, 0", "255, 200, 0"]) {
    const response = await fetch(`${stack.baseUrl}/upload`, {
      method: "POST",
      headers: { "content-type": "application/json", "user-agent": "gallery-owner/1.0", ...(galleryOwnerCookie === "" ? {} : { cookie: galleryOwnerCookie }) },
      body: JSON.stringify({ code: `setLEDs([[${colour}, 80]] * getLEDCount())\n` }),
    });
    if (response.status !== 201) throw new Error(`upload refused (${response.status}): ${await response.text()}`);
    galleryOwnerCookie ||= response.headers.getSetCookie()[0]!.split(";")[0]!;
    uuids.push(((await response.json()) as { uuid: string }).uuid);
  }
  const finished = async (uuid: string) => {
    const view = (await (await fetch(`${stack.baseUrl}/api/submissions/${uuid}`, { headers: { cookie: galleryOwnerCookie } })).json()) as { gallery?: { shareable: boolean } };
    return view.gallery?.shareable === true;
  };
  for (const uuid of uuids) {
    for (const deadline = Date.now() + 60_000; !(await finished(uuid)); await Bun.sleep(100)) if (Date.now() > deadline) throw new Error(`${uuid} did not finish`);
  }
  const shared = await fetch(`${stack.baseUrl}/api/submissions/${uuids[0]}/share`, {
    method: "POST",
    headers: { "content-type": "application/json", cookie: galleryOwnerCookie },
    body: JSON.stringify({ title: "Green <everywhere>" }),
  });
  if (shared.status !== 200) throw new Error(`share refused (${shared.status}): ${await shared.text()}`);
}

/** Becomes the visitor who ran the quick programs (ownership follows the cookie). */
async function asGalleryOwner(page: Page): Promise<void> {
  const eq = galleryOwnerCookie.indexOf("=");
  await page.context().addCookies([{ name: galleryOwnerCookie.slice(0, eq), value: galleryOwnerCookie.slice(eq + 1), url: stack.baseUrl }]);
}

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

interface Stop {
  name: string;
  /** Brings the page into the state to check. */
  open(page: Page): Promise<void>;
}

const stops: Stop[] = [
  { name: "editor", open: (page) => goto(page, "/editor", ".cm-content") },
  {
    name: "editor-completion",
    async open(page) {
      await goto(page, "/editor", ".cm-content");
      await page.locator(".cm-content").click();
      await page.keyboard.press("Control+A");
      await page.keyboard.type("setL");
      await page.locator(".cm-tooltip-autocomplete li").first().waitFor({ timeout: 5000 });
    },
  },
  { name: "queue", open: (page) => goto(page, "/queue", "main") },
  {
    name: "docs",
    async open(page) {
      await goto(page, "/docs", "article.docs");
      // The example gallery's code too, not only its closed disclosures.
      await page.evaluate(() => document.querySelectorAll("article.docs details").forEach((details) => ((details as HTMLDetailsElement).open = true)));
    },
  },
  {
    name: "queue-share",
    async open(page) {
      await asGalleryOwner(page);
      await goto(page, "/queue", "[data-share]");
      await page.locator("[data-share]").first().click();
      await page.locator("[data-share-dialog]").waitFor({ state: "visible" });
    },
  },
  { name: "gallery", open: (page) => goto(page, "/gallery", "li.gallery-entry") },
  {
    name: "gallery-preview",
    async open(page) {
      await goto(page, "/gallery", "li.gallery-entry");
      await page.locator("li.gallery-entry [data-try]").first().click();
      await page.locator("li.gallery-entry [data-preview-tree]").waitFor({ state: "visible" });
    },
  },
  { name: "qr", open: (page) => goto(page, "/qr", "main") },
  { name: "operator-login", open: (page) => goto(page, "/operator", "#operator-password") },
  {
    name: "operator",
    async open(page) {
      await goto(page, "/operator", "#operator-password");
      await page.locator("#operator-password").fill(walkthroughOperatorPassword);
      await page.locator("#operator-password").press("Enter");
      await page.locator("[data-operator-panel]").waitFor({ state: "visible" });
      await page.waitForTimeout(300);
    },
  },
  // Signed in (the stop before): Hide buttons and the operator's note.
  { name: "gallery-operator", open: (page) => goto(page, "/gallery", "[data-hide]") },
  {
    name: "refusal",
    async open(page) {
      await goto(page, "/editor", ".cm-content");
      await page.locator("details.upload-file summary").click();
      await page.locator('input[type="file"][name="file"]').setInputFiles({ name: "lights.py", mimeType: "text/x-python", buffer: Buffer.from("x = 1\nimport os\n") });
      await page.locator("details.upload-file").getByRole("button", { name: "Upload" }).click();
      await page.locator("[data-refused]").waitFor();
    },
  },
  // Logged in by the "operator" stop above: one submission's code and result open (running, waiting or
  // finished: the uploads above finish while the tests run), then the confirm dialog.
  {
    name: "operator-details",
    async open(page) {
      await goto(page, "/operator", "[data-operator-panel]");
      await page.locator("[data-details]").first().click();
      await page.locator("[data-submission-detail]").waitFor({ state: "visible" });
    },
  },
  {
    name: "operator-confirm",
    async open(page) {
      await goto(page, "/operator", "[data-operator-panel]");
      await page.locator("#block-user").fill("10.99.0.1");
      await page.locator("#block-user").press("Enter");
      await page.locator("[data-confirm]").waitFor({ state: "visible" });
    },
  },
];

async function goto(page: Page, path: string, ready: string): Promise<void> {
  await page.goto(`${stack.baseUrl}${path}`);
  await page.locator(ready).first().waitFor();
  await page.waitForTimeout(300); // let the scripts fetch what they need and draw
}

/** The outermost elements reaching past the screen's right edge (their parent fits), for a failure message. */
function widestElements(page: Page, width: number): Promise<string[]> {
  return page.evaluate((screenWidth) => {
    const clipped = (element: Element) => {
      for (let up = element.parentElement; up !== null; up = up.parentElement) if (getComputedStyle(up).overflowX !== "visible") return true;
      return false;
    };
    const past = [...document.querySelectorAll("body *")].filter((element) => element.getBoundingClientRect().right > screenWidth + 0.5 && !clipped(element));
    const outermost = past.filter((element) => element.parentElement === null || !past.includes(element.parentElement));
    return outermost.slice(0, 5).map((element) => `${element.tagName.toLowerCase()}.${[...element.classList].join(".")} → ${Math.round(element.getBoundingClientRect().right)}px`);
  }, width);
}

const viewports: [string, () => Promise<BrowserContext>][] = [
  ["a phone (390×844)", () => phoneContext(browser, " axe")],
  ["a desktop (1280×800)", () => browser.newContext({ viewport: { width: 1280, height: 800 } })],
];

describe("axe-core finds no serious or critical violation", () => {
  for (const [size, newContext] of viewports) {
    it(`on every page at ${size}`, async () => {
      const context = await newContext();
      const { page } = await watchedPage(context);
      const found: Record<string, unknown> = {};
      for (const stop of stops) {
        await stop.open(page);
        const violations = await seriousAxeViolations(page);
        if (violations.length > 0) found[stop.name] = violations;
        if (size.includes("390")) await page.screenshot({ path: join(tmpdir(), `tree-a11y-${stop.name}-390x844.png`) });
      }
      expect(found).toEqual({});
      await context.close();
    }, 120_000);
  }
});

describe("200 % text", () => {
  for (const [size, newContext] of viewports) {
    it(`scrolls no page sideways at ${size}`, async () => {
      const context = await newContext();
      const { page } = await watchedPage(context);
      const wide: Record<string, unknown> = {};
      for (const stop of stops) {
        await stop.open(page);
        // A browser's text size setting scales the root font size, which every size here derives from.
        await page.evaluate(() => {
          document.documentElement.style.fontSize = "200%";
        });
        await page.waitForTimeout(100);
        // Against the screen's width, not innerWidth: a mobile browser widens its layout viewport to
        // fit content that overflows, so innerWidth would grow along with the overflow.
        const screenWidth = page.viewportSize()!.width;
        const overflow = await page.evaluate((width) => document.documentElement.scrollWidth - width, screenWidth);
        if (overflow > 0) wide[stop.name] = { overflow, widest: await widestElements(page, screenWidth) };
        if (size.includes("390") && ["editor", "queue"].includes(stop.name)) await page.screenshot({ path: join(tmpdir(), `tree-a11y-${stop.name}-200pct-390x844.png`) });
      }
      expect(wide, "pixels wider than the screen").toEqual({});
      await context.close();
    }, 120_000);
  }
});

describe("the editor and the keyboard", () => {
  it("says how to leave it, and Esc then Tab leaves it", async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const { page } = await watchedPage(context);
    await goto(page, "/editor", ".cm-content");
    const hint = page.locator("[data-keyboard-hint]");
    expect(await hint.isVisible()).toBe(true);
    expect(await hint.textContent()).toMatch(/Esc.*then.*Tab/);

    await page.locator(".cm-content").click();
    const before = await page.evaluate(() => localStorage.getItem("code-tree.draft.v1"));
    await page.keyboard.press("Tab"); // indents: focus stays in the editor
    expect(await page.evaluate(() => document.activeElement?.matches("[data-code-editor]") ?? false)).toBe(true);
    await page.keyboard.press("Escape");
    await page.keyboard.press("Tab");
    const focused = await page.evaluate(() => {
      const active = document.activeElement;
      return { inEditor: active?.matches("[data-code-editor]") ?? false, text: active?.textContent ?? "" };
    });
    expect(focused.inEditor).toBe(false);
    expect(focused.text).not.toBe("");
    expect(before).not.toBe("x"); // the first Tab changed the draft, not the page
    await context.close();
  }, 60_000);
});
