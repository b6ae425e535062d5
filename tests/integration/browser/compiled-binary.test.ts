/**
 * The pages inside the compiled tree-app: `bun build --compile` the app, run the binary from a
 * directory without the sources, and check it serves exactly the bundle the sources build, and that
 * the editor works in Chromium from it.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { loadAssets, type Asset } from "../../../frontend/assets.ts";
import { launchChromium, phoneContext, watchedPage } from "./browser.ts";

const root = join(import.meta.dirname, "..", "..", "..");
let dir: string;
let app: ChildProcess | undefined;
let baseUrl: string;
let expected: Map<string, Asset>;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "tree-compiled-"));
  const binary = join(dir, "tree-app");
  const build = spawnSync(process.execPath, ["build", "--compile", join(root, "appliance", "src", "main.ts"), "--outfile", binary], { cwd: root, encoding: "utf8" });
  if (build.status !== 0) throw new Error(`bun build --compile failed:\n${build.stdout}\n${build.stderr}`);
  expected = await loadAssets();

  // Run from the temp dir so nothing can be read from the source tree by accident.
  app = spawn(binary, ["serve", "--port", "0", "--host", "127.0.0.1", "--idle-show", "false", "--data-dir", join(dir, "data"), "--gpio-socket", join(dir, "none.sock")], { cwd: dir, stdio: ["ignore", "pipe", "pipe"] });
  baseUrl = await new Promise<string>((resolve, reject) => {
    let output = "";
    const timer = setTimeout(() => reject(new Error(`the compiled app did not start:\n${output}`)), 20_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /listening on http:\/\/[^:]+:(\d+)/.exec(output);
      if (match !== null) {
        clearTimeout(timer);
        resolve(`http://127.0.0.1:${match[1]}`);
      }
    };
    app!.stdout!.on("data", onData);
    app!.stderr!.on("data", onData);
    app!.once("exit", (code) => reject(new Error(`the compiled app exited (${code}):\n${output}`)));
  });
}, 120_000);

afterAll(async () => {
  if (app !== undefined && app.exitCode === null) {
    const exited = new Promise((resolve) => app!.once("exit", resolve));
    app.kill("SIGTERM");
    await exited;
  }
  rmSync(dir, { recursive: true, force: true });
});

it("serves the same pages and assets the sources build", async () => {
  for (const [path, asset] of expected) {
    const response = await fetch(`${baseUrl}${path}`, { headers: { "accept-encoding": "identity" } });
    expect(response.status, path).toBe(200);
    expect(response.headers.get("content-type"), path).toBe(asset.contentType);
    expect(new Uint8Array(await response.arrayBuffer()), path).toEqual(asset.body);
  }
});

it("runs the editor in Chromium from the binary", async () => {
  const browser = await launchChromium();
  try {
    const context = await phoneContext(browser);
    const { page, problems } = await watchedPage(context);
    await page.goto(`${baseUrl}/editor`);
    await page.locator(".cm-content").waitFor();
    expect(await page.locator(".cm-content").textContent()).toContain("getLEDCount()");
    expect(await problems()).toEqual([]);
  } finally {
    await browser.close();
  }
}, 30_000);
