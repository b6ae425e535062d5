import { describe, expect, it } from "vitest";
import { jsonUpload, testAppliance, Visitor, stopAfterEach } from "../../testing/test-appliance.ts";

const running = stopAfterEach();

describe("pending cap per address", () => {
  it("stops one address from queueing more by changing its User-Agent", async () => {
    const app = await testAppliance({ config: { maxPendingPerUser: 3, maxPendingPerIp: 2, uploadsPerMinutePerIp: 100 } });
    running.push(app);
    const statuses: number[] = [];
    // A fresh User-Agent without a cookie is a fresh user_id: only the address ties these together.
    for (let i = 0; i < 4; i++) statuses.push((await app.request("/upload", { ...jsonUpload("x = 1\n"), as: new Visitor(`agent ${i}`, "10.42.0.33") })).status);
    // The first starts running at once; then two may wait.
    expect(statuses).toEqual([201, 201, 201, 429]);
    const refused = await app.request("/upload", { ...jsonUpload("x = 1\n"), as: new Visitor("agent 9", "10.42.0.33") });
    expect(refused.status).toBe(429);
    const error = (await refused.json()) as { code: string; message: string; retryAfterSeconds: number };
    expect(error).toMatchObject({ code: "too_many_pending", message: expect.stringMatching(/network address.*limit is 2.*try again in \d+ s/i) });
    expect(error.retryAfterSeconds).toBeGreaterThan(0);
    expect(app.ctx.scheduler.pending.map((uuid) => app.ctx.store.get(uuid)!.ip)).toEqual(["10.42.0.33", "10.42.0.33"]);

    // Another address is not affected, and a slot frees when one of them runs or is cancelled.
    expect((await app.request("/upload", { ...jsonUpload("x = 1\n"), as: new Visitor("neighbour", "10.42.0.34") })).status).toBe(201);
    app.runner.runs[0]!.finish({ status: "completed" });
    const until = Date.now() + 5000;
    while (app.ctx.scheduler.pending.filter((uuid) => app.ctx.store.get(uuid)!.ip === "10.42.0.33").length > 1 && Date.now() < until) await Bun.sleep(5);
    expect((await app.request("/upload", { ...jsonUpload("x = 1\n"), as: new Visitor("agent 10", "10.42.0.33") })).status).toBe(201);
  });

  it("keeps the address on the record and shows it to nobody but the operator", async () => {
    const app = await testAppliance();
    running.push(app);
    const alice = new Visitor("Alice's phone", "10.42.0.35");
    const { uuid } = (await (await app.request("/upload", { ...jsonUpload("x = 1\n"), as: alice })).json()) as { uuid: string };
    expect(app.ctx.store.get(uuid)!.ip).toBe("10.42.0.35");
    const text = await (await app.request(`/api/submissions/${uuid}`, { as: alice })).text();
    expect(text).not.toContain("10.42.0.35");
    expect(await (await app.request("/api/queue", { as: alice })).text()).not.toContain("10.42.0.35");
  });
});
