import { afterEach, describe, expect, it } from "vitest";
import type { Config } from "../../config.ts";
import { testAppliance, testIpHeader, type TestAppliance } from "../../testing/test-appliance.ts";

const running: TestAppliance[] = [];
const sockets: WebSocket[] = [];
afterEach(async () => {
  for (const socket of sockets.splice(0)) socket.close();
  for (const appliance of running.splice(0)) {
    await appliance.app.stop(true);
    await appliance.stop();
  }
});

/** The appliance on a real socket (WebSockets need one), on a free port. */
async function listening(config: Partial<Config> = {}) {
  const appliance = await testAppliance({ config });
  running.push(appliance);
  appliance.app.listen({ port: 0, hostname: "127.0.0.1" });
  return { appliance, url: `ws://127.0.0.1:${appliance.app.server!.port}/api/live` };
}

type Outcome = "open" | "refused";

/** Connects as a client at `ip` and says whether the socket stayed open (first message received) or was refused. */
function connect(url: string, ip: string): Promise<{ outcome: Outcome; socket: WebSocket }> {
  // Bun's WebSocket takes request headers; the test appliance reads the client address from one.
  const socket = new WebSocket(url, { headers: { [testIpHeader]: ip } } as unknown as string[]);
  sockets.push(socket);
  return new Promise((resolve) => {
    socket.onmessage = () => resolve({ outcome: "open", socket });
    socket.onclose = () => resolve({ outcome: "refused", socket });
  });
}

const until = async (condition: () => boolean, what: string) => {
  const start = Date.now();
  while (!condition()) {
    if (Date.now() - start > 5000) throw new Error(`timed out waiting for ${what}`);
    await Bun.sleep(5);
  }
};

describe("GET /api/live limits", () => {
  it("lets one address hold at most maxLiveViewersPerIp sockets, even when they all connect at once", async () => {
    const { appliance, url } = await listening();
    const cap = appliance.ctx.config.maxLiveViewersPerIp;
    const burst = await Promise.all(Array.from({ length: cap * 3 }, () => connect(url, "10.42.0.80")));
    expect(burst.filter((result) => result.outcome === "open")).toHaveLength(cap);
    expect(burst.filter((result) => result.outcome === "refused")).toHaveLength(cap * 2);
    expect(appliance.ctx.live.viewerCount).toBe(cap);

    // Another phone still gets its view.
    expect((await connect(url, "10.42.0.81")).outcome).toBe("open");

    // A closed page frees its slot, and only its own: refused sockets never counted.
    burst.find((result) => result.outcome === "open")!.socket.close();
    await until(() => appliance.ctx.live.viewerCount === cap, "the closed viewer to leave");
    expect((await connect(url, "10.42.0.80")).outcome).toBe("open");
    expect((await connect(url, "10.42.0.80")).outcome).toBe("refused");
  });

  it("refuses past maxLiveViewers in all, without calling it queue_full", async () => {
    const { appliance, url } = await listening({ maxLiveViewers: 2 });
    expect((await connect(url, "10.42.0.90")).outcome).toBe("open");
    expect((await connect(url, "10.42.0.91")).outcome).toBe("open");
    expect((await connect(url, "10.42.0.92")).outcome).toBe("refused");
    expect(appliance.ctx.live.viewerCount).toBe(2);

    // The HTTP answer before the upgrade names the reason.
    const port = appliance.app.server!.port;
    const refused = await fetch(`http://127.0.0.1:${port}/api/live`, {
      headers: { connection: "Upgrade", upgrade: "websocket", "sec-websocket-version": "13", "sec-websocket-key": "dGhlIHNhbXBsZSBub25jZQ==", [testIpHeader]: "10.42.0.93" },
    });
    expect(refused.status).toBe(503);
    expect(await refused.json()).toMatchObject({ code: "too_many_viewers" });
  });

  it("refuses the upgrade under a foreign Host, as every other route (DNS rebinding)", async () => {
    const { appliance } = await listening();
    const port = appliance.app.server!.port;
    const upgrade = { connection: "Upgrade", upgrade: "websocket", "sec-websocket-version": "13", "sec-websocket-key": "dGhlIHNhbXBsZSBub25jZQ==" };
    const foreign = await fetch(`http://127.0.0.1:${port}/api/live`, { headers: { ...upgrade, host: `attacker.example:${port}` } });
    expect(foreign.status).toBe(421);
    expect(await foreign.json()).toMatchObject({ code: "unknown_host" });
    expect(appliance.ctx.live.viewerCount).toBe(0);
  });
});
