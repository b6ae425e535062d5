/** The operator view's reading side: submissions whole, the running program's deadline, the daemon and the host. */
import { mkdtempSync, renameSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { Config } from "../../config.ts";
import { startTestDaemon } from "../../../../gpio-daemon/src/testing/test-daemon.ts";
import { sampleHostStatus } from "../../host-status/sample.ts";
import { jsonUpload, testAppliance, Visitor, type TestAppliance, stopAfterEach } from "../../testing/test-appliance.ts";

const running = stopAfterEach();

const password = "correct horse battery";

async function loggedIn(config: Partial<Config> = {}) {
  const app = await testAppliance({ config: { operatorPassword: password, uploadsPerMinutePerIp: 100, maxPendingPerUser: 10, maxPendingPerIp: 10, ...config } });
  running.push(app);
  const operator = new Visitor("operator", "10.42.0.2");
  const login = await app.request("/api/operator/login", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ password }), as: operator });
  expect(login.status).toBe(200);
  const get = async (path: string) => {
    const response = await app.request(`/api/operator/${path}`, { as: operator });
    return { status: response.status, body: (await response.json()) as Record<string, any> };
  };
  return { app, operator, get };
}

async function until(what: string, condition: () => boolean): Promise<void> {
  const deadline = Date.now() + 20_000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await Bun.sleep(5);
  }
}

const upload = async (app: TestAppliance, visitor: Visitor, code: string) =>
  ((await (await app.request("/upload", { ...jsonUpload(code), as: visitor })).json()) as { uuid: string }).uuid;

describe("operator view: submissions", () => {
  it("gives any submission's code and result as stored, finished or running", async () => {
    const { app, get } = await loggedIn();
    const hostileCode = 'print("<img src=x onerror=alert(1)>")\n';
    const first = await upload(app, new Visitor("Eve", "10.42.0.66"), hostileCode);
    await until("the first run", () => app.runner.runs.length === 1);
    app.runner.last!.finish({ status: "failed", error: "line 1: NameError: name 'x' is not defined", stdout: "<b>bold</b>\n", stderr: "Traceback ...\n" });
    await until("the first to finish", () => app.ctx.store.get(first)?.status === "failed");

    const detail = await get(`submissions/${first}`);
    expect(detail.status).toBe(200);
    expect(detail.body).toMatchObject({
      uuid: first,
      status: "failed",
      code: hostileCode,
      reason: { code: "error", text: "Stopped by an error on line 1.", line: 1 },
      result: { status: "failed", error: "line 1: NameError: name 'x' is not defined", stdout: "<b>bold</b>\n", stderr: "Traceback ...\n" },
    });

    const second = await upload(app, new Visitor("Bob", "10.42.0.67"), "x = 2\n");
    await until("the second run", () => app.runner.runs.length === 2);
    const state = await get("state");
    expect(state.body.recent).toEqual([expect.objectContaining({ uuid: first, status: "failed", reason: "Stopped by an error on line 1." })]);
    // The running one: its deadline is its start plus the slot.
    const runningNow = state.body.running;
    expect(runningNow.uuid).toBe(second);
    expect(runningNow.slotSeconds).toBe(app.ctx.config.slotSeconds);
    expect(Date.parse(runningNow.endsAt) - Date.parse(runningNow.startedAt)).toBe(app.ctx.config.slotSeconds * 1000);
    expect(Math.abs(Date.parse(state.body.now) - Date.now())).toBeLessThan(60_000);
    expect((await get(`submissions/${second}`)).body).toMatchObject({ status: "running", code: "x = 2\n", result: null, reason: null });
  });

  it("answers 404 for an unknown or malformed id and 401 before login", async () => {
    const { app, get } = await loggedIn();
    expect((await get("submissions/00000000-0000-4000-8000-000000000000")).status).toBe(404);
    expect((await get("submissions/..%2F..%2Fcookie-secret")).status).toBe(404);
    const stranger = await app.request("/api/operator/submissions/00000000-0000-4000-8000-000000000000", { as: new Visitor("stranger") });
    expect(stranger.status).toBe(401);
  });
});

describe("operator view: health at the top", () => {
  it("says the daemon is offline and the app is not on an appliance, by default", async () => {
    const { get } = await loggedIn();
    const { health } = (await get("state")).body;
    expect(health.daemon).toMatchObject({ online: false, driver: null, milliamps: null, limiterActive: null });
    expect(health.host).toMatchObject({ state: "not-on-appliance", status: null, reason: expect.stringMatching(/Not on an appliance/) });
  });

  it("shows the host status file, and its reason when it cannot be used", async () => {
    const dir = mkdtempSync(join(tmpdir(), "host-status-"));
    const path = join(dir, "status.json");
    const status = sampleHostStatus({ phase: "hotspot-fallback", problems: ["Could not join \"Venue\" within 60 s: wrong password."] });
    writeFileSync(path, JSON.stringify(status));
    const { app, get } = await loggedIn({ hostStatus: path });
    expect((await get("state")).body.health.host).toEqual({ state: "known", reason: null, status });

    // Replaced as tree-host does it; the app's poll notices.
    writeFileSync(`${path}.tmp`, "{");
    renameSync(`${path}.tmp`, path);
    await until("the reader to notice", () => app.ctx.hostStatus.view.state === "unknown");
    expect((await get("state")).body.health.host).toMatchObject({ state: "unknown", reason: expect.stringMatching(/not valid JSON/) });
  });

  it("shows the daemon's driver, its current estimate and whether the limiter scales frames", async () => {
    // 20 LEDs of full red need about 0.4 A, twice the budget: the limiter must scale them.
    const daemon = await startTestDaemon({ ledCount: 20, psuAmps: 0.2, reserveMilliamps: 0 });
    try {
      const { app, get } = await loggedIn({ gpioSocket: daemon.path });
      await until("the daemon", () => app.daemon.online);
      const idle = (await get("state")).body.health.daemon;
      expect(idle).toMatchObject({ online: true, driver: "simulator", ledCount: 20, limiterActive: false, lastError: null });
      await upload(app, new Visitor("Ann"), "x = 1\n"); // the fake run shows one full-red frame
      await until("the frame to be shown", () => daemon.strip.frames > 0);
      const busy = (await get("state")).body.health.daemon;
      expect(busy.limiterActive).toBe(true);
      expect(busy.milliamps).toBeGreaterThan(0);
      expect(busy.milliamps).toBeLessThanOrEqual(busy.budgetMilliamps);
      expect(busy.requestedMilliamps).toBeGreaterThan(busy.milliamps);
    } finally {
      await daemon.stop();
    }
  });
});
