import { mkdtempSync } from "node:fs";
import { createServer, type Server, type Socket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { startTestDaemon, type TestDaemon } from "../../../gpio-daemon/src/testing/test-daemon.ts";
import { DaemonClient, daemonLimits } from "./client.ts";

const cleanup: (() => unknown)[] = [];
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

const until = async (condition: () => boolean, what: string, limitMs = 5000) => {
  const start = Date.now();
  while (!condition()) {
    if (Date.now() - start > limitMs) throw new Error(`timed out waiting for ${what}`);
    await Bun.sleep(10);
  }
};

const blue = (count: number) => {
  const frame = new Uint8Array(count * 4);
  for (let i = 0; i < count; i++) frame.set([0, 0, 255, 100], i * 4);
  return frame;
};

async function daemon(ledCount = 50, path?: string): Promise<TestDaemon> {
  const started = await startTestDaemon({ ledCount, path });
  cleanup.push(() => started.stop());
  return started;
}

function client(socketPath: string, limits: Partial<typeof daemonLimits> = {}) {
  const statuses: boolean[] = [];
  const made = new DaemonClient({ socketPath, onStatus: (online) => statuses.push(online), limits });
  cleanup.push(() => made.stop());
  return { client: made, statuses };
}

describe("DaemonClient against the real daemon", () => {
  it("learns the LED count from info, sends frames and reads them back in a snapshot", async () => {
    const real = await daemon(30);
    const { client: c } = client(real.path);
    expect(await c.start()).toBe(true);
    expect(c.online).toBe(true);
    expect(c.info?.ledCount).toBe(30);
    expect(c.sendFrame(blue(30))).toBe(true);
    const snapshot = await c.snapshot();
    expect(snapshot).not.toBeNull();
    const rgb = Buffer.from(snapshot!.rgb, "base64");
    expect(rgb.length).toBe(90);
    expect(rgb[2]).toBeGreaterThan(0);
    expect(rgb[0]).toBe(0);
    expect(await c.off()).toBe(true);
    const dark = Buffer.from((await c.snapshot())!.rgb, "base64");
    expect(dark.every((byte) => byte === 0)).toBe(true);
    expect(c.stats).toMatchObject({ framesSent: 1, frameErrors: 0 });
  });

  it("counts a frame the daemon refuses without losing the reply order", async () => {
    const real = await daemon(10);
    const { client: c } = client(real.path);
    await c.start();
    c.sendFrame(blue(9));
    expect(await c.snapshot()).not.toBeNull();
    expect(c.stats.frameErrors).toBe(1);
    expect(c.stats.lastFrameError).toMatch(/10/);
  });

  it("is offline when nothing listens, then connects when the daemon appears", async () => {
    const dir = mkdtempSync(join(tmpdir(), "tree-client-"));
    const path = join(dir, "gpio.sock");
    const { client: c, statuses } = client(path, { reconnectMinMs: 20, reconnectMaxMs: 50 });
    expect(await c.start()).toBe(false);
    expect(c.sendFrame(blue(5))).toBe(false);
    expect(c.stats.framesDropped).toBe(1);
    await expect(c.command({ type: "info" })).rejects.toThrow(/offline/);
    const real = await daemon(5, path);
    await until(() => c.online, "reconnect");
    expect(statuses).toEqual([true]);
    await real.stop();
    await until(() => !c.online, "offline after the daemon stops");
    expect(statuses).toEqual([true, false]);
  });
});

describe("DaemonClient against a daemon that stops answering", () => {
  it("drops frames instead of queueing them, and reconnects when a reply is overdue", async () => {
    const dir = mkdtempSync(join(tmpdir(), "tree-client-"));
    const path = join(dir, "gpio.sock");
    let connections = 0;
    let linesSeen = 0;
    const sockets: Socket[] = [];
    const server: Server = createServer((socket) => {
      connections++;
      sockets.push(socket);
      let answeredInfo = false;
      socket.on("data", (chunk) => {
        linesSeen += chunk.toString().split("\n").length - 1;
        if (!answeredInfo) {
          answeredInfo = true;
          socket.write(`${JSON.stringify({ ok: true, protocol: 1, ledCount: 5, driver: "wedged", colorOrder: "GRB", brightnessCapPercent: 100, budgetMilliamps: 1000, maxLineBytes: 65536 })}\n`);
        }
        // Everything after info is swallowed: a wedged daemon.
      });
    });
    await new Promise<void>((resolve) => server.listen(path, resolve));
    cleanup.push(() => new Promise<void>((resolve) => {
      for (const socket of sockets) socket.destroy();
      server.close(() => resolve());
    }));
    const { client: c } = client(path, { replyTimeoutMs: 200, reconnectMinMs: 20 });
    expect(await c.start()).toBe(true);
    let accepted = 0;
    for (let i = 0; i < 100; i++) if (c.sendFrame(blue(5))) accepted++;
    expect(accepted).toBe(daemonLimits.maxInflightFrames);
    expect(c.stats.framesDropped).toBe(100 - daemonLimits.maxInflightFrames);
    await until(() => connections >= 2, "a reconnect after the reply timeout");
    expect(linesSeen).toBeLessThanOrEqual(1 + daemonLimits.maxInflightFrames + 1);
  });
});

describe("DaemonClient reading replies", () => {
  it("puts together replies split across chunks, a multi-byte character included, and ok replies packed into one", async () => {
    const dir = mkdtempSync(join(tmpdir(), "tree-client-"));
    const path = join(dir, "gpio.sock");
    const info = `${JSON.stringify({ ok: true, protocol: 1, ledCount: 5, driver: "split ✓", colorOrder: "GRB", brightnessCapPercent: 100, budgetMilliamps: 1000, maxLineBytes: 65536 })}\n`;
    const infoBytes = new TextEncoder().encode(info);
    // Cut inside the three bytes of "✓", so only a byte-wise reader gets the text right.
    const cut = infoBytes.indexOf(0xe2) + 1;
    const sockets: Socket[] = [];
    let frameLines = 0;
    const server: Server = createServer((socket) => {
      sockets.push(socket);
      let answeredInfo = false;
      socket.on("data", async (chunk) => {
        if (!answeredInfo) {
          answeredInfo = true;
          socket.write(infoBytes.subarray(0, cut));
          await Bun.sleep(30);
          socket.write(infoBytes.subarray(cut));
          return;
        }
        frameLines += chunk.toString().split("\n").length - 1;
        if (frameLines === 3) socket.write('{"ok":true}\n{"ok":true}\n{"ok":false,"error":"led 0: bad"}\n');
      });
    });
    await new Promise<void>((resolve) => server.listen(path, resolve));
    cleanup.push(() => new Promise<void>((resolve) => {
      for (const socket of sockets) socket.destroy();
      server.close(() => resolve());
    }));
    const { client: c } = client(path);
    expect(await c.start()).toBe(true);
    expect(c.info?.driver).toBe("split ✓");
    for (let i = 0; i < 3; i++) expect(c.sendFrame(blue(5))).toBe(true);
    await until(() => c.stats.frameErrors === 1, "the three frame replies");
    expect(c.stats.lastFrameError).toBe("led 0: bad");
    // All three answered: the in-flight budget is whole again.
    for (let i = 0; i < daemonLimits.maxInflightFrames; i++) expect(c.sendFrame(blue(5))).toBe(true);
  });
});
