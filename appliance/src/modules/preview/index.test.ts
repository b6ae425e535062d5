import { afterEach, describe, expect, it } from "vitest";
import { startTestDaemon, type TestDaemon } from "../../../../gpio-daemon/src/testing/test-daemon.ts";
import type { Config } from "../../config.ts";
import { defaultPolicy } from "../../sandbox/policy.ts";
import { jsonUpload, testAppliance, testIpHeader, Visitor, type TestAppliance } from "../../testing/test-appliance.ts";
import type { PreviewView } from "./model.ts";

const running: TestAppliance[] = [];
const daemons: TestDaemon[] = [];
const sockets: WebSocket[] = [];
afterEach(async () => {
  for (const socket of sockets.splice(0)) socket.close();
  for (const appliance of running.splice(0)) {
    appliance.app.server?.stop(true);
    await appliance.stop();
  }
  for (const daemon of daemons.splice(0)) await daemon.stop();
});

async function appliance(config: Partial<Config> = {}): Promise<TestAppliance> {
  const started = await testAppliance({ config });
  running.push(started);
  return started;
}

const until = async (condition: () => boolean, what: string) => {
  const start = Date.now();
  while (!condition()) {
    if (Date.now() - start > 5000) throw new Error(`timed out waiting for ${what}`);
    await Bun.sleep(5);
  }
};

async function startPreview(app: TestAppliance, visitor: Visitor, code = "setLEDs([RED] * getLEDCount())\n"): Promise<Response> {
  return app.request("/api/preview", { ...jsonUpload(code), as: visitor });
}

async function previewOf(app: TestAppliance, visitor: Visitor, id: string): Promise<{ status: number; body: PreviewView }> {
  const response = await app.request(`/api/preview/${id}`, { as: visitor });
  return { status: response.status, body: (await response.json()) as PreviewView };
}

/** Starts a preview and waits until its program is in the (fake) sandbox. */
async function started(app: TestAppliance, visitor: Visitor, code?: string) {
  const runsBefore = app.runner.runs.length;
  const response = await startPreview(app, visitor, code);
  expect(response.status, await response.clone().text()).toBe(202);
  const { id } = (await response.json()) as { id: string };
  await until(() => app.runner.runs.length > runsBefore, "the preview to start");
  return { id, run: app.runner.last! };
}

describe("POST /api/preview", () => {
  it("runs the program niced below the tree's run for previewSeconds, and reports a runtime error at its line", async () => {
    const app = await appliance({ previewSeconds: 7 });
    const visitor = new Visitor("phone A", "10.42.0.20");
    const { id, run } = await started(app, visitor);
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    expect(run.options.timeLimitMs).toBe(7000);
    expect(run.options.policy!.limits.niceLevel).toBeGreaterThan(defaultPolicy.limits.niceLevel);
    expect(run.options.source).toBe("setLEDs([RED] * getLEDCount())\n");

    const whileRunning = await previewOf(app, visitor, id);
    expect(whileRunning).toMatchObject({ status: 200, body: { id, status: "running", frames: 1, error: null, line: null, limitSeconds: 7 } });

    const traceback = 'Traceback (most recent call last):\n  File "program.py", line 2, in <module>\nValueError: setLEDs needs 100 LEDs, got 10\n';
    run.finish({ status: "failed", frames: 1, error: "line 2: ValueError: setLEDs needs 100 LEDs, got 10", stderr: traceback, stdout: "hello\n" });
    await until(() => app.ctx.previews.running === 0, "the preview to end");
    const finished = await previewOf(app, visitor, id);
    expect(finished.body).toEqual({
      id,
      status: "failed",
      frames: 1,
      error: "ValueError: setLEDs needs 100 LEDs, got 10",
      line: 2,
      column: null,
      stdout: "hello\n",
      stderr: traceback,
      limitSeconds: 7,
    });
  });

  it("takes the same body forms as /upload", async () => {
    const app = await appliance({ previewsPerMinutePerIp: 100 });
    const visitor = new Visitor("phone B", "10.42.0.21");
    const form = new FormData();
    form.append("file", new File(["setLEDs([GREEN] * getLEDCount())\n"], "mine.py"));
    const multipart = await app.request("/api/preview", { method: "POST", body: form, as: visitor });
    expect(multipart.status).toBe(202);
    await until(() => app.runner.runs.length === 1, "the multipart preview");
    expect(app.runner.last!.options.source).toBe("setLEDs([GREEN] * getLEDCount())\n");

    const text = await app.request("/api/preview", { method: "POST", headers: { "content-type": "text/plain" }, body: "x = 1\n", as: visitor });
    expect(text.status).toBe(202);
    await until(() => app.runner.runs.length === 2, "the text preview");

    const wrong = await app.request("/api/preview", { method: "POST", headers: { "content-type": "application/json" }, body: '{"program": 1}', as: visitor });
    expect(wrong.status).toBe(400);
    expect(((await wrong.json()) as { message: string }).message).toContain('{"code"');
  });

  it("reports a check failure as rejected with its line and column, without running anything", async () => {
    const app = await appliance();
    const visitor = new Visitor("phone C", "10.42.0.22");
    const response = await startPreview(app, visitor, "n = getLEDCount()\nimport os\n");
    const { id } = (await response.json()) as { id: string };
    let view: PreviewView | undefined;
    await until(() => {
      void previewOf(app, visitor, id).then((answer) => (view = answer.body));
      return view?.status === "rejected";
    }, "the check to refuse it");
    expect(view).toMatchObject({ status: "rejected", line: 2, column: expect.any(Number), frames: 0 });
    expect(view!.error).toMatch(/os/);
    expect(app.runner.runs).toHaveLength(0);
  });

  it("is readable only by the browser that started it", async () => {
    const app = await appliance();
    const owner = new Visitor("phone D", "10.42.0.23");
    const { id } = await started(app, owner);
    expect((await previewOf(app, owner, id)).status).toBe(200);

    // Someone else, a twin browser on the same address without the cookie, and a made-up id: all 404.
    const stranger = new Visitor("phone E", "10.42.0.24");
    const twin = new Visitor("phone D", "10.42.0.23");
    for (const [who, path] of [[stranger, id], [twin, id], [owner, "00000000-0000-4000-8000-000000000000"]] as const) {
      const answer = await previewOf(app, who, path);
      expect(answer.status).toBe(404);
      expect(answer.body).toMatchObject({ code: "not_found" });
    }
    const noCookie = await app.request(`/api/preview/${id}`, { ip: "10.42.0.23" });
    expect(noCookie.status).toBe(404);
  });

  it("caps previews tree-wide (503) and per address (429), each with a sentence and Retry-After", async () => {
    const app = await appliance({ maxConcurrentPreviews: 2, previewSeconds: 10 });
    await started(app, new Visitor("phone F", "10.42.0.30"));
    await started(app, new Visitor("phone G", "10.42.0.31"));

    const third = await startPreview(app, new Visitor("phone H", "10.42.0.32"));
    expect(third.status).toBe(503);
    const busy = (await third.json()) as { code: string; message: string; retryAfterSeconds: number };
    expect(busy.code).toBe("previews_busy");
    expect(busy.message).toMatch(/Try again in \d+ s/);
    expect(Number(third.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
    expect(Number(third.headers.get("retry-after"))).toBeLessThanOrEqual(10);

    // Another browser behind the first phone's address: that address already has its preview.
    const sameAddress = await startPreview(app, new Visitor("laptop F", "10.42.0.30"));
    expect(sameAddress.status).toBe(429);
    expect(sameAddress.headers.get("retry-after")).not.toBeNull();
    expect(app.runner.runs).toHaveLength(2);
  });

  it("replaces the owner's running preview with the newer one instead of refusing it", async () => {
    const app = await appliance({ maxConcurrentPreviews: 1 });
    const visitor = new Visitor("phone I", "10.42.0.33");
    const first = await started(app, visitor);
    const second = await started(app, visitor, "setLEDs([BLUE] * getLEDCount())\n");
    expect(first.run.options.signal!.aborted).toBe(true);
    await until(() => app.ctx.previews.running === 1, "the first preview to stop");
    expect((await previewOf(app, visitor, first.id)).body).toMatchObject({ status: "failed", error: "Stopped: you started a newer preview." });
    expect((await previewOf(app, visitor, second.id)).body.status).toBe("running");
  });

  it("spends a per-address budget a minute", async () => {
    const app = await appliance({ previewsPerMinutePerIp: 2 });
    const visitor = new Visitor("phone J", "10.42.0.34");
    await started(app, visitor);
    await started(app, visitor);
    const third = await startPreview(app, visitor);
    expect(third.status).toBe(429);
    expect((await third.json()) as { code: string }).toMatchObject({ code: "rate_limited" });
  });

  it("refuses when Try it is off or the sandbox is unusable", async () => {
    const off = await appliance({ maxConcurrentPreviews: 0 });
    const refused = await startPreview(off, new Visitor("phone K"));
    expect(refused.status).toBe(503);
    expect(((await refused.json()) as { message: string }).message).toMatch(/turned off/);

    const broken = await testAppliance({ sandbox: { ready: false, reason: "bwrap is missing" } });
    running.push(broken);
    const noSandbox = await startPreview(broken, new Visitor("phone L"));
    expect(noSandbox.status).toBe(503);
    expect(((await noSandbox.json()) as { message: string }).message).toContain("bwrap is missing");
  });

  it("never sends a preview's frames to the LEDs, and stops previews when the app stops", async () => {
    const daemon = await startTestDaemon({ ledCount: 100 });
    daemons.push(daemon);
    const app = await appliance({ gpioSocket: daemon.path });
    await until(() => app.daemon.online, "the daemon connection");
    const framesBefore = daemon.strip.snapshot().frames;
    const { run } = await started(app, new Visitor("phone N", "10.42.0.36"));
    for (let i = 0; i < 5; i++) run.options.onFrame!(new Uint8Array(100 * 4).fill(200));
    await Bun.sleep(100);
    expect(daemon.strip.snapshot().frames).toBe(framesBefore);

    await app.stop();
    running.splice(running.indexOf(app), 1);
    expect(run.options.signal!.aborted).toBe(true);
    expect(app.ctx.previews.running).toBe(0);
  });
});

describe("WebSocket /api/preview/:id/live", () => {
  async function listening() {
    const app = await appliance();
    app.app.listen({ port: 0, hostname: "127.0.0.1" });
    return { app, base: `ws://127.0.0.1:${app.app.server!.port}` };
  }

  function open(url: string, visitor: Visitor) {
    const headers = { [testIpHeader]: visitor.ip, "user-agent": visitor.userAgent, cookie: visitor.header() };
    const socket = new WebSocket(url, { headers } as unknown as string[]);
    socket.binaryType = "arraybuffer";
    sockets.push(socket);
    const frames: Uint8Array[] = [];
    const texts: string[] = [];
    const closed = new Promise<number>((resolve) => (socket.onclose = (event) => resolve(event.code)));
    socket.onmessage = (event: MessageEvent<ArrayBuffer | string>) => {
      if (typeof event.data === "string") texts.push(event.data);
      else frames.push(new Uint8Array(event.data));
    };
    return { socket, frames, texts, closed };
  }

  it("streams the owner's preview as RGB bytes, then its final view, then closes", async () => {
    const { app, base } = await listening();
    const visitor = new Visitor("phone O", "10.42.0.40");
    const { id, run } = await started(app, visitor);
    const watcher = open(`${base}/api/preview/${id}/live`, visitor);
    // The fake runner showed one red frame before anyone watched: it arrives first.
    await until(() => watcher.frames.length === 1, "the first frame");
    expect([...watcher.frames[0]!.slice(0, 3)]).toEqual([255, 0, 0]);
    expect(watcher.frames[0]!.length).toBe(app.ctx.tree().ledCount * 3);

    const blue = new Uint8Array(app.ctx.tree().ledCount * 4);
    for (let i = 0; i < blue.length; i += 4) blue.set([0, 0, 255, 100], i);
    run.options.onFrame!(blue);
    await until(() => watcher.frames.length === 2, "the second frame");
    expect([...watcher.frames[1]!.slice(0, 3)]).toEqual([0, 0, 255]);

    run.finish({ frames: 2 });
    expect(await watcher.closed).toBe(1000);
    expect(JSON.parse(watcher.texts.at(-1)!)).toMatchObject({ id, status: "completed", frames: 2 });
  });

  it("refuses anyone but the owner", async () => {
    const { app, base } = await listening();
    const owner = new Visitor("phone P", "10.42.0.41");
    const { id } = await started(app, owner);
    const stranger = new Visitor("phone Q", "10.42.0.42");
    const watcher = open(`${base}/api/preview/${id}/live`, stranger);
    await watcher.closed;
    expect(watcher.frames).toHaveLength(0);
    expect(app.ctx.previews.listenerCount(id)).toBe(0);
  });
});
