/**
 * The operator's view on a busy night, in real headless Chromium at a phone's 390×844 against the
 * real stack (tree-gpio on the simulated strip, tree-app with a host status file as tree-host
 * writes it): the daemon's state and the appliance's health at the top, any submission's code and
 * result as text, the running program's time left counting down, Stop asking first, no sideways
 * scroll; and the tree's own status colours on the strip before the first program.
 */
import { mkdtempSync, renameSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sampleHostStatus } from "../../../appliance/src/host-status/sample.ts";
import type { HostStatus } from "../../../appliance/src/host-status/schema.ts";
import { statusLedSpacing } from "../../../appliance/src/scheduler/status-pattern.ts";
import { readStripState, startStack, type Stack } from "../app/stack.ts";
import { until } from "../app/stack-browser.ts";
import { launchChromium, phoneContext, watchedPage } from "./browser.ts";

const operatorPassword = "correct horse battery";
const fallbackReason = 'Could not join "Venue" within 60 s: wrong password.';
const statusDir = mkdtempSync(join(tmpdir(), "tree-host-"));
const statusPath = join(statusDir, "status.json");
let stack: Stack;
let browser: Browser;

/** As tree-host writes it: temp file, then rename. */
function writeHostStatus(status: HostStatus): void {
  writeFileSync(`${statusPath}.tmp`, JSON.stringify(status));
  renameSync(`${statusPath}.tmp`, statusPath);
}

const fellBack = sampleHostStatus({
  phase: "hotspot-fallback",
  network: { mode: "venue", active: "hotspot", ssid: "Tree", addresses: ["10.42.0.1"], publicUrl: "http://10.42.0.1/", fellBack: true, fallbackReason },
  problems: [`${fallbackReason} Visitors join the tree's own Wi-Fi "Tree" instead; fix the password in tree.toml.`],
});

beforeAll(async () => {
  writeHostStatus(fellBack);
  stack = await startStack({
    ledCount: 50,
    stripStateFile: true,
    appArgs: ["--host-status", statusPath, "--idle-show", "false", "--uploads-per-minute-per-ip", "100", "--max-pending-per-user", "10"],
    appEnv: { TREE_APP_OPERATOR_PASSWORD: operatorPassword },
  });
  browser = await launchChromium();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

async function upload(code: string, userAgent: string): Promise<string> {
  const response = await fetch(`${stack.url}/upload`, { method: "POST", headers: { "content-type": "application/json", "user-agent": userAgent }, body: JSON.stringify({ code }) });
  if (response.status !== 201) throw new Error(`upload refused (${response.status}): ${await response.text()}`);
  return ((await response.json()) as { uuid: string }).uuid;
}

const noSidewaysScroll = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth <= document.documentElement.clientWidth);

describe("the tree's status colours", () => {
  it("pulse purple on every tenth LED while the tree has fallen back to its hotspot, before any program", async () => {
    const lit = await until(async () => {
      const strip = readStripState(stack.stateFile!);
      const on = [...Array(strip.ledCount).keys()].filter((led) => strip.rgb[led * 3]! + strip.rgb[led * 3 + 1]! + strip.rgb[led * 3 + 2]! > 0);
      return on.length > 0 && on.every((led) => led % statusLedSpacing === 0) ? { strip, on } : undefined;
    }, "the purple status pulse on the strip");
    const [r, g, b] = lit.strip.rgb.subarray(0, 3);
    // Purple: red and blue, no green (the daemon's brightness and colour order already applied).
    expect(g).toBe(0);
    expect(b!).toBeGreaterThan(0);
    expect(r!).toBeGreaterThan(0);
  }, 30_000);
});

describe("/operator on a phone", () => {
  it("shows health at the top, a submission's code and result, the time left, and asks before Stop", async () => {
    // A program that has finished with output and an error, and one that keeps the tree busy.
    const finished = await upload('print("<b>not bold</b>")\nraise ValueError("<i>boom</i>")\n', "finisher/1.0");
    const stackLog = () => stack.appOutput();
    await until(async () => {
      const queue = (await (await fetch(`${stack.url}/api/queue`)).json()) as { recent: { uuid: string }[] };
      return queue.recent.some((entry) => entry.uuid === finished);
    }, `the first program to finish (${stackLog().slice(-500)})`);
    const long = await upload("import time\nsetLEDs([[0, 255, 0, 100]] * getLEDCount())\ntime.sleep(40)\n", "long-runner/1.0");

    const context = await phoneContext(browser, " operator");
    const { page, problems } = await watchedPage(context);
    await page.goto(`${stack.url}/operator`);
    await page.locator("#operator-password").fill(operatorPassword);
    await page.locator("#operator-password").press("Enter");
    await page.locator("[data-operator-panel]").waitFor({ state: "visible" });

    // At the top: the daemon and the appliance.
    const daemon = page.locator("[data-daemon-card]");
    await expect.poll(() => daemon.locator("[data-daemon-state]").textContent()).toBe("Online");
    expect(await daemon.locator("[data-daemon-facts]").textContent()).toMatch(/Driversimulator.*LEDs50.*Current draw \(estimate\)\d+ mA of \d+ mA.*Current limiter(Not active|Active)/);
    const host = page.locator("[data-host-card]");
    expect(await host.locator("[data-host-state]").textContent()).toMatch(/Fell back to its own hotspot/);
    expect(await host.locator("[data-host-facts]").textContent()).toContain(`Yes: ${fallbackReason}`);
    expect(await host.locator("[data-host-problems] li").allTextContents()).toEqual(fellBack.problems);
    const healthTop = await page.locator(".health").boundingBox();
    const tableTop = await page.locator(".operator-table").first().boundingBox();
    expect(healthTop!.y).toBeLessThan(tableTop!.y);

    // A finished submission's code and result, as text.
    const finishedRow = page.locator(`tr[data-uuid="${finished}"]`);
    await finishedRow.getByRole("button", { name: /Code and result/ }).click();
    const detail = page.locator("[data-submission-detail]");
    await detail.waitFor({ state: "visible" });
    expect(await detail.locator("[data-detail-code]").textContent()).toBe('print("<b>not bold</b>")\nraise ValueError("<i>boom</i>")\n');
    expect(await detail.textContent()).toContain("<b>not bold</b>");
    expect(await detail.textContent()).toMatch(/ValueError: <i>boom<\/i>/);
    expect(await detail.locator("b, i").count()).toBe(0);
    expect(await detail.textContent()).toMatch(/Why it finishedStopped by an error on line 2\./);
    await detail.getByRole("button", { name: "Close" }).click();
    await detail.waitFor({ state: "hidden" });

    // The running program's time left counts down.
    const remaining = page.locator("[data-remaining]");
    await until(async () => (await page.locator("[data-running-id]").textContent()) === long.slice(0, 8), "the long program to run");
    const first = Number(await until(async () => (await remaining.getAttribute("data-seconds")) ?? undefined, "a countdown"));
    expect(first).toBeGreaterThan(0);
    expect(first).toBeLessThanOrEqual(45);
    expect(await remaining.textContent()).toMatch(/^\d+ s left$/);
    await until(async () => Number(await remaining.getAttribute("data-seconds")) < first || undefined, "the countdown to go down", 10_000);

    // Stop asks first: No keeps it running.
    const runningRow = page.locator(`[data-operator-submissions] tr[data-uuid="${long}"]`);
    const dialog = page.locator("[data-confirm]");
    await runningRow.getByRole("button", { name: "Stop" }).click();
    await dialog.waitFor({ state: "visible" });
    expect(await dialog.textContent()).toContain(long.slice(0, 8));
    await dialog.getByRole("button", { name: "No" }).click();
    await dialog.waitFor({ state: "hidden" });
    await page.waitForTimeout(500);
    const stillRunning = (await (await fetch(`${stack.url}/api/queue`)).json()) as { running: { uuid: string } | null };
    expect(stillRunning.running?.uuid).toBe(long);
    expect(await runningRow.count()).toBe(1);

    // The page never scrolls sideways, dialog included.
    await runningRow.getByRole("button", { name: "Stop" }).click();
    await dialog.waitFor({ state: "visible" });
    expect(await noSidewaysScroll(page)).toBe(true);
    await dialog.getByRole("button", { name: "Yes" }).click();
    await until(async () => {
      const queue = (await (await fetch(`${stack.url}/api/queue`)).json()) as { running: { uuid: string } | null };
      return queue.running?.uuid !== long;
    }, "the program to stop");
    await expect.poll(() => runningRow.count()).toBe(0);
    await expect.poll(() => page.locator("[data-running]").isHidden()).toBe(true);
    expect(await noSidewaysScroll(page)).toBe(true);

    // The host recovers: the page follows the file.
    writeHostStatus(sampleHostStatus({ phase: "ready" }));
    await expect.poll(() => host.locator("[data-host-state]").textContent(), { timeout: 15_000 }).toBe("Ready");
    // The page asks for its state before login; the 401 is how it learns to show the form.
    expect((await problems()).filter((problem) => !problem.includes("status of 401"))).toEqual([]);
    await context.close();
  }, 120_000);
});

describe("/qr on an appliance", () => {
  it("encodes the address in force, says where it comes from, and follows it when the network changes", async () => {
    writeHostStatus(sampleHostStatus({ phase: "ready" }));
    const context = await phoneContext(browser, " qr");
    const { page, problems } = await watchedPage(context);
    // Opened by another name than the address in force, as a printed sheet often is.
    await page.goto(`${stack.url.replace("127.0.0.1", "localhost")}/qr`);
    const url = page.locator("[data-editor-url]");
    await expect.poll(() => url.textContent()).toBe("http://10.42.0.1/editor");
    expect(await page.locator("[data-address-source]").textContent()).toMatch(/network is on now/);

    writeHostStatus(
      sampleHostStatus({
        network: { mode: "venue", active: "venue", ssid: "Venue", addresses: ["192.168.5.23"], publicUrl: "http://192.168.5.23/", fellBack: false, fallbackReason: null },
      }),
    );
    await expect.poll(() => url.textContent(), { timeout: 20_000 }).toBe("http://192.168.5.23/editor");
    expect(await page.locator("[data-editor-qr] svg").getAttribute("aria-label")).toContain("http://192.168.5.23/editor");
    expect(await noSidewaysScroll(page)).toBe(true);
    expect(await problems()).toEqual([]);
    await context.close();
  }, 60_000);
});
