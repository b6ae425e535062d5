import { describe, expect, it } from "vitest";
import type { Config } from "../../config.ts";
import { testAppliance, Visitor, stopAfterEach } from "../../testing/test-appliance.ts";

const running = stopAfterEach();

async function start(config: Partial<Config> = {}) {
  const appliance = await testAppliance({ config });
  running.push(appliance);
  return appliance;
}

describe("GET /api/queue/events limits", () => {
  it("lets one address hold at most maxEventStreamsPerIp streams, so others still get theirs", async () => {
    const app = await start();
    const cap = app.ctx.config.maxEventStreamsPerIp;
    const open: Response[] = [];
    // Different browsers on one address: the cap is per address, not per visitor.
    for (let i = 0; i < cap; i++) open.push(await app.request("/api/queue/events", { as: new Visitor(`tab ${i}`, "10.42.0.50") }));
    expect(open.map((response) => response.status)).toEqual(Array(cap).fill(200));

    const refused = await app.request("/api/queue/events", { as: new Visitor("one more", "10.42.0.50") });
    expect(refused.status).toBe(429);
    const error = (await refused.json()) as { code: string; message: string };
    expect(error.code).toBe("too_many_connections");
    expect(error.code).not.toBe("queue_full");
    expect(error.message).toMatch(new RegExp(`${cap} open pages`));
    expect(Number(refused.headers.get("retry-after"))).toBeGreaterThan(0);

    const neighbour = await app.request("/api/queue/events", { as: new Visitor("another phone", "10.42.0.51") });
    expect(neighbour.status).toBe(200);

    // Closing a page frees its slot.
    await open[0]!.body!.cancel();
    const again = await app.request("/api/queue/events", { as: new Visitor("reloaded", "10.42.0.50") });
    expect(again.status).toBe(200);
    for (const response of [...open.slice(1), neighbour, again]) await response.body!.cancel();
    expect(app.ctx.events.size).toBe(0);
  });

  it("answers too_many_viewers (not queue_full) when every stream is taken", async () => {
    const app = await start({ maxQueueListeners: 2 });
    const a = await app.request("/api/queue/events", { ip: "10.42.0.60" });
    const b = await app.request("/api/queue/events", { ip: "10.42.0.61" });
    const refused = await app.request("/api/queue/events", { ip: "10.42.0.62" });
    expect(refused.status).toBe(503);
    expect(await refused.json()).toMatchObject({ code: "too_many_viewers", message: expect.stringMatching(/too many people/i) });
    await a.body!.cancel();
    await b.body!.cancel();
  });

  it("counts parallel requests from one address exactly", async () => {
    const app = await start();
    const cap = app.ctx.config.maxEventStreamsPerIp;
    const responses = await Promise.all(Array.from({ length: cap * 3 }, (_, i) => app.request("/api/queue/events", { as: new Visitor(`burst ${i}`, "10.42.0.70") })));
    expect(responses.filter((response) => response.status === 200)).toHaveLength(cap);
    expect(responses.filter((response) => response.status === 429)).toHaveLength(cap * 2);
    for (const response of responses) await response.body?.cancel();
  });
});
