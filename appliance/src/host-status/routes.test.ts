/** The host status as /api/health, /api/site (the QR page) and the captive portal see it. */
import { mkdtempSync, renameSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Value } from "@sinclair/typebox/value";
import { describe, expect, it } from "vitest";
import type { Config } from "../config.ts";
import { HealthSchema } from "../modules/queue/index.ts";
import { testAppliance, stopAfterEach } from "../testing/test-appliance.ts";
import { sampleHostStatus } from "./sample.ts";
import type { HostStatus } from "./schema.ts";

const running = stopAfterEach();

function statusFile(status: HostStatus | string) {
  const path = join(mkdtempSync(join(tmpdir(), "host-status-")), "status.json");
  const write = (next: HostStatus | string) => {
    writeFileSync(`${path}.tmp`, typeof next === "string" ? next : JSON.stringify(next));
    renameSync(`${path}.tmp`, path);
  };
  write(status);
  return { path, write };
}

async function start(config: Partial<Config>) {
  const app = await testAppliance({ config });
  running.push(app);
  const get = async (path: string) => (await (await app.request(path)).json()) as Record<string, any>;
  return { app, get };
}

async function until(what: string, condition: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + 20_000;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await Bun.sleep(50);
  }
}

const venue = (address: string) =>
  sampleHostStatus({
    network: { mode: "venue", active: "venue", ssid: "Venue", addresses: [address], publicUrl: `http://${address}/`, fellBack: false, fallbackReason: null },
  });

describe("/api/health", () => {
  it("keeps its fields and adds the host status, in the shape its schema publishes", async () => {
    const status = sampleHostStatus({ phase: "led-fault", led: { driver: "spi", lastError: "SPI write failed" }, problems: ["The LED driver failed: check the data wire."] });
    const { get } = await start({ hostStatus: statusFile(status).path });
    const health = await get("/api/health");
    expect(health).toEqual({ ok: true, tree: { online: false }, sandbox: { ready: true }, host: { state: "known", reason: null, status } });
    expect(Value.Check(HealthSchema, health)).toBe(true);
  });

  it("says why the host status is unknown instead of failing", async () => {
    const { get } = await start({ hostStatus: join(tmpdir(), "no-such-tree-host", "status.json") });
    const health = await get("/api/health");
    expect(health.ok).toBe(true);
    expect(health.host).toEqual({ state: "unknown", reason: expect.stringMatching(/has not written it/), status: null });
    expect(Value.Check(HealthSchema, health)).toBe(true);
  });
});

describe("/api/site and the portal use the address in force", () => {
  it("gives the host's publicUrl, follows it when it changes, and hides the hotspot's join code on the venue's network", async () => {
    const file = statusFile(sampleHostStatus());
    const { get } = await start({ hostStatus: file.path, wifiSsid: "Tree", wifiPassword: "christmas" });
    expect(await get("/api/site")).toMatchObject({ publicUrl: "http://10.42.0.1/", publicUrlSource: "host", wifi: { ssid: "Tree", password: "christmas" } });

    file.write(venue("192.168.5.23"));
    await until("the new address", async () => (await get("/api/site")).publicUrl === "http://192.168.5.23/");
    expect((await get("/api/site")).wifi).toBeNull();
  });

  it("offers the fallback hotspot's join code only once a venue tree has fallen back to it", async () => {
    const joining = sampleHostStatus({
      phase: "waiting-for-network",
      network: { mode: "venue", active: null, ssid: "Venue", addresses: [], publicUrl: "http://10.42.0.1/", fellBack: false, fallbackReason: null },
    });
    const file = statusFile(joining);
    const { get } = await start({ hostStatus: file.path, wifiSsid: "tree", wifiPassword: "merry-christmas" });
    expect((await get("/api/site")).wifi).toBeNull();

    const reason = 'Could not join "Venue" within 60 s: wrong password.';
    file.write(sampleHostStatus({
      phase: "hotspot-fallback",
      network: { mode: "venue", active: "hotspot", ssid: "tree", addresses: ["10.42.0.1"], publicUrl: "http://10.42.0.1/", fellBack: true, fallbackReason: reason },
    }));
    await until("the join code", async () => (await get("/api/site")).wifi !== null);
    expect((await get("/api/site")).wifi).toEqual({ ssid: "tree", password: "merry-christmas" });
  });

  it("lets the operator's publicUrl win over the host's", async () => {
    const { get } = await start({ hostStatus: statusFile(venue("192.168.5.23")).path, publicUrl: "http://tree.example.org/" });
    expect(await get("/api/site")).toMatchObject({ publicUrl: "http://tree.example.org/", publicUrlSource: "config" });
  });

  it("is the request's own origin off an appliance", async () => {
    const { get } = await start({});
    expect(await get("/api/site")).toMatchObject({ publicUrl: null, publicUrlSource: null });
  });

  it("sends a new phone's captive-portal probe to the address in force", async () => {
    const { app } = await start({ hostStatus: statusFile(venue("192.168.5.23")).path });
    const probe = await app.request("/generate_204", { ip: "192.168.5.80", headers: { host: "connectivitycheck.gstatic.com" } });
    expect(probe.status).toBe(302);
    expect(probe.headers.get("location")).toBe("http://192.168.5.23/editor");
  });
});
