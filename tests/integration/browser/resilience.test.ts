/**
 * The pages ride out trouble without a reload: the app restarting (live view and queue stream
 * reconnect) and the LED daemon going away (the pages say the tree is offline).
 */
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, expect, it } from "vitest";
import { launchChromium, phoneContext, watchedPage } from "./browser.ts";
import { startStack, type Stack } from "./stack.ts";

let stack: Stack;
let browser: Browser;

beforeAll(async () => {
  stack = await startStack({ appArgs: ["--idle-show", "false"] });
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

it("reconnects the live tree and the queue stream after the app restarts", async () => {
  const context = await phoneContext(browser);
  const { page, problems } = await watchedPage(context);
  await page.goto(`${stack.baseUrl}/queue`);
  const tree = page.locator("[data-live-tree]");
  const connection = page.locator("[data-connection]");
  await expect.poll(() => tree.getAttribute("data-connections"), { timeout: 10_000 }).toBe("1");
  await expect.poll(() => connection.getAttribute("data-opens"), { timeout: 10_000 }).toBe("1");

  await stack.restartApp();
  await expect.poll(() => tree.getAttribute("data-connections"), { timeout: 20_000 }).toBe("2");
  await expect.poll(() => connection.getAttribute("data-opens"), { timeout: 20_000 }).toBe("2");
  const framesAfterRestart = Number(await tree.getAttribute("data-frames"));
  await expect.poll(async () => Number(await tree.getAttribute("data-frames")), { timeout: 10_000 }).toBeGreaterThan(framesAfterRestart);
  expect(await tree.getAttribute("data-state")).toBe("live");
  expect(await connection.textContent()).toBe("Updates live.");
  // While the server was away the browser logged the failed connections; nothing else may go wrong.
  expect((await problems()).filter((problem) => !/ERR_CONNECTION_REFUSED|WebSocket connection/.test(problem))).toEqual([]);
  await context.close();
}, 60_000);

it("tells visitors when the tree goes offline", async () => {
  const context = await phoneContext(browser);
  const { page, problems } = await watchedPage(context);
  await page.goto(`${stack.baseUrl}/queue`);
  const tree = page.locator("[data-live-tree]");
  await expect.poll(() => tree.getAttribute("data-state"), { timeout: 10_000 }).toBe("live");
  expect(await page.locator('[data-banner="offline"]').count()).toBe(0);

  await stack.stopDaemon();
  await expect.poll(() => tree.getAttribute("data-state"), { timeout: 15_000 }).toBe("offline");
  expect(await tree.locator("[data-tree-status]").textContent()).toMatch(/offline/i);
  await page.locator('[data-banner="offline"]').waitFor({ timeout: 15_000 });
  expect(await problems()).toEqual([]);
  await context.close();
}, 40_000);
