import { describe, expect, it } from "vitest";
import { jsonUpload, testAppliance, Visitor, type TestAppliance, stopAfterEach } from "../../testing/test-appliance.ts";

const running = stopAfterEach();

const password = "correct horse battery";

async function loggedIn(dataDir?: string) {
  const app = await testAppliance({ dataDir, config: { operatorPassword: password, uploadsPerMinutePerIp: 100, maxPendingPerUser: 10, maxPendingPerIp: 10 } });
  running.push(app);
  const operator = new Visitor("operator", "10.42.0.2");
  const post = (path: string, body: unknown) =>
    app.request(`/api/operator/${path}`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body), as: operator });
  expect((await post("login", { password })).status).toBe(200);
  return { app, post, operator };
}

const upload = async (app: TestAppliance, visitor: Visitor) => ((await (await app.request("/upload", { ...jsonUpload("x = 1\n"), as: visitor })).json()) as { uuid: string }).uuid;

describe("operator block by address", () => {
  it("blocks an address whatever browser it uses, removes its waiting programs, and unblocks it", async () => {
    const { app, post, operator } = await loggedIn();
    const first = await upload(app, new Visitor("Eve's phone", "10.42.0.66"));
    const waiting = [await upload(app, new Visitor("Eve's laptop", "10.42.0.66")), await upload(app, new Visitor("Eve's curl", "10.42.0.66"))];
    const bystander = await upload(app, new Visitor("Bob's phone", "10.42.0.67"));
    const until = Date.now() + 5000;
    while (app.ctx.scheduler.running?.uuid !== first && Date.now() < until) await Bun.sleep(5);

    const before = (await (await app.request("/api/operator/state", { as: operator })).json()) as { pending: { uuid: string; ip: string | null }[] };
    expect(before.pending.map((entry) => entry.ip)).toEqual(["10.42.0.66", "10.42.0.66", "10.42.0.67"]);

    // The dual-stack spelling of the address is the same address.
    const blocked = await post("block", { ip: "::ffff:10.42.0.66" });
    expect(blocked.status).toBe(200);
    const state = (await blocked.json()) as { blockedIps: string[]; blocked: string[]; pending: { uuid: string }[] };
    expect(state.blockedIps).toEqual(["10.42.0.66"]);
    expect(state.blocked).toEqual([]);
    expect(state.pending.map((entry) => entry.uuid)).toEqual([bystander]);
    for (const uuid of waiting) expect(app.ctx.store.get(uuid)!.status).toBe("cancelled");

    const refused = await app.request("/upload", { ...jsonUpload("x = 1\n"), as: new Visitor("Eve's new browser", "10.42.0.66") });
    expect(refused.status).toBe(403);
    expect(await refused.json()).toMatchObject({ code: "blocked", message: expect.stringMatching(/address/) });
    expect((await app.request("/upload", { ...jsonUpload("x = 1\n"), as: new Visitor("Bob's phone", "10.42.0.67") })).status).toBe(201);

    const unblocked = await post("unblock", { ip: "10.42.0.66" });
    expect(await unblocked.json()).toMatchObject({ blockedIps: [] });
    expect((await app.request("/upload", { ...jsonUpload("x = 1\n"), as: new Visitor("Eve's new browser", "10.42.0.66") })).status).toBe(201);
  });

  it("keeps an address block across a restart", async () => {
    const { app, post } = await loggedIn();
    expect((await post("block", { ip: "fd00::66" })).status).toBe(200);
    await app.stop();
    running.splice(running.indexOf(app), 1);
    const again = await testAppliance({ dataDir: app.dataDir });
    running.push(again);
    expect(again.ctx.blockedAddresses.list()).toEqual(["fd00::66"]);
    const refused = await again.request("/upload", { ...jsonUpload("x = 1\n"), ip: "FD00::66" });
    expect(refused.status).toBe(403);
  });

  it.each([
    [{ ip: "10.42.0.300" }, /ip must be an IPv4 or IPv6 address/],
    [{ ip: "tree.local" }, /ip must be an IPv4 or IPv6 address/],
    [{ ip: "1".repeat(100) }, /ip/],
    [{ userId: "../../x" }, /userId/],
    [{}, /either userId .* or ip/],
    [{ userId: "a".repeat(32), ip: "10.0.0.1" }, /either userId .* or ip/],
  ])("refuses %j with a 400 that says what to send", async (body, message) => {
    const { app, post } = await loggedIn();
    for (const path of ["block", "unblock"]) {
      const response = await post(path, body);
      expect(response.status).toBe(400);
      expect(await response.json()).toMatchObject({ code: "validation", message: expect.stringMatching(message) });
    }
    expect(app.ctx.blockedAddresses.list()).toEqual([]);
    expect(app.ctx.blockList.list()).toEqual([]);
  });
});
