import { hostname } from "node:os";
import { Value } from "@sinclair/typebox/value";
import { describe, expect, it } from "vitest";
import { maxUploadBytes } from "./checker/check.ts";
import { userIdCookieName } from "./identity/user-id.ts";
import { QueueViewSchema } from "./modules/queue/model.ts";
import { SubmissionViewSchema, UploadAcceptedSchema } from "./modules/submissions/model.ts";
import { securityHeaders } from "./security-headers.ts";
import { jsonUpload, seedExample, testAppliance, Visitor, stopAfterEach } from "./testing/test-appliance.ts";

const running = stopAfterEach();

async function start(options: Parameters<typeof testAppliance>[0] = {}) {
  const appliance = await testAppliance(options);
  running.push(appliance);
  return appliance;
}

const until = async (condition: () => boolean, what: string) => {
  const start = Date.now();
  while (!condition()) {
    if (Date.now() - start > 5000) throw new Error(`timed out waiting for ${what}`);
    await Bun.sleep(5);
  }
};

const body = async (response: Response) => (await response.json()) as Record<string, unknown>;

describe("POST /upload", () => {
  it("accepts the seed's example, stores it and queues it FCFS", async () => {
    const app = await start();
    const alice = new Visitor("Alice's phone");
    const first = await app.request("/upload", { ...jsonUpload(seedExample), as: alice });
    expect(first.status).toBe(201);
    const accepted = await body(first);
    expect(Value.Check(UploadAcceptedSchema, accepted)).toBe(true);
    expect(accepted).toMatchObject({ status: "pending", position: 1, etaIsWorstCase: true });
    expect(alice.cookies.has(userIdCookieName)).toBe(true);
    expect(first.headers.getSetCookie()[0]).toMatch(/HttpOnly/i);
    expect(first.headers.getSetCookie()[0]).toMatch(/SameSite=Lax/i);

    await until(() => app.runner.runs.length === 1, "the first run");
    expect(app.runner.last!.options.source).toBe(seedExample);
    const second = await body(await app.request("/upload", { ...jsonUpload(seedExample), as: alice }));
    expect(second).toMatchObject({ position: 1 });
    // Worst case: the running program's whole remaining slot.
    expect(second.etaSeconds).toBeGreaterThan(app.ctx.config.slotSeconds - 5);
    expect(second.etaSeconds).toBeLessThanOrEqual(app.ctx.config.slotSeconds);
  });

  it("accepts a .py file in multipart field `file` and ignores its name", async () => {
    const app = await start();
    const form = new FormData();
    form.append("file", new File([seedExample], "../../etc/passwd.py", { type: "text/x-python" }));
    const response = await app.request("/upload", { method: "POST", body: form });
    expect(response.status).toBe(201);
    const { uuid } = (await response.json()) as { uuid: string };
    const record = app.ctx.store.get(uuid)!;
    expect(await app.ctx.store.readSource(record)).toBe(seedExample);
  });

  it("sends a plain browser form post on to the queue page", async () => {
    const app = await start();
    const form = new FormData();
    form.append("code", seedExample);
    const response = await app.request("/upload", { method: "POST", body: form, headers: { accept: "text/html,application/xhtml+xml" } });
    expect(response.status).toBe(303);
    expect(response.headers.get("location")).toMatch(/^\/queue\?highlight=[0-9a-f-]{36}$/);
  });

  it("answers the checker's verdict with line and column", async () => {
    const app = await start();
    const response = await app.request("/upload", jsonUpload("x = 1\nimport os\n"));
    expect(response.status).toBe(422);
    expect(await body(response)).toMatchObject({ code: "check_failed", line: 2, message: expect.stringMatching(/os/) });
    expect(app.ctx.store.all()).toEqual([]);
  });

  it.each([
    ["no content type", { method: "POST", body: "x" }, 415, "unsupported_media_type"],
    ["an image", { method: "POST", body: "x", headers: { "content-type": "image/png" } }, 415, "unsupported_media_type"],
    ["a non-.py file", { method: "POST", body: formWith("file", new File(["x = 1"], "x.exe")) }, 415, "unsupported_media_type"],
    ["malformed JSON", { method: "POST", body: "{code:", headers: { "content-type": "application/json" } }, 400, "bad_request"],
    ["JSON with extra fields", { method: "POST", body: '{"code":"x=1","run":true}', headers: { "content-type": "application/json" } }, 400, "validation"],
    ["a form without the program", { method: "POST", body: formWith("other", "x") }, 400, "bad_request"],
    ["Latin-1 bytes", { method: "POST", body: new Uint8Array([0x78, 0x3d, 0x22, 0xe9, 0x22, 0x0a]), headers: { "content-type": "text/plain" } }, 422, "not_utf8"],
    ["a Latin-1 file", { method: "POST", body: formWith("file", new File([new Uint8Array([0x23, 0xe9, 0x0a])], "a.py")) }, 422, "not_utf8"],
    ["a lone surrogate in JSON", { method: "POST", body: '{"code":"x = \\"\\ud800\\""}', headers: { "content-type": "application/json" } }, 422, "not_utf8"],
  ])("refuses %s with a 4xx JSON error", async (_name, init, status, code) => {
    const app = await start();
    const response = await app.request("/upload", init as RequestInit);
    expect(response.status).toBe(status);
    const error = await body(response);
    expect(error).toMatchObject({ code });
    expect(typeof error.message).toBe("string");
    expect(response.headers.get("content-type")).toMatch(/application\/json/);
  });

  it("refuses an oversize program (413) by its length, and an endless stream without buffering it", async () => {
    const app = await start();
    const big = await app.request("/upload", jsonUpload(`x = 1\n${"#".repeat(maxUploadBytes)}\n`));
    expect(big.status).toBe(413);
    expect(await body(big)).toMatchObject({ code: "payload_too_large", message: expect.stringMatching(/64 KiB/) });

    let pulled = 0;
    const endless = new ReadableStream<Uint8Array>({
      pull(controller) {
        pulled += 64 * 1024;
        controller.enqueue(new Uint8Array(64 * 1024).fill(0x23));
      },
    });
    const streamed = await app.request("/upload", { method: "POST", body: endless, headers: { "content-type": "text/plain" }, duplex: "half" } as RequestInit);
    expect(streamed.status).toBe(413);
    expect(pulled).toBeLessThan(app.ctx.uploadLimits.maxBodyBytes + 4 * 64 * 1024);
  });

  it("limits uploads per address per minute with 429 and when to try again", async () => {
    const app = await start({ config: { uploadsPerMinutePerIp: 2, maxPendingPerUser: 10 } });
    for (let i = 0; i < 2; i++) expect((await app.request("/upload", { ...jsonUpload("x = 1\n"), ip: "10.0.0.9" })).status).toBe(201);
    const refused = await app.request("/upload", { ...jsonUpload("x = 1\n"), ip: "10.0.0.9" });
    expect(refused.status).toBe(429);
    const error = await body(refused);
    expect(error).toMatchObject({ code: "rate_limited", message: expect.stringMatching(/try again in \d+ s/i) });
    expect(Number(refused.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(error.retryAfterSeconds).toBe(Number(refused.headers.get("retry-after")));
    // Another address is not affected.
    expect((await app.request("/upload", { ...jsonUpload("x = 1\n"), ip: "10.0.0.10" })).status).toBe(201);
  });

  it("caps the pending submissions per visitor", async () => {
    const app = await start({ config: { maxPendingPerUser: 2, uploadsPerMinutePerIp: 100 } });
    const bob = new Visitor("Bob's phone");
    const statuses = [];
    for (let i = 0; i < 4; i++) statuses.push((await app.request("/upload", { ...jsonUpload("x = 1\n"), as: bob })).status);
    // The first starts running at once, so two more may wait.
    expect(statuses).toEqual([201, 201, 201, 429]);
    const refused = await app.request("/upload", { ...jsonUpload("x = 1\n"), as: bob });
    expect(await body(refused)).toMatchObject({ code: "too_many_pending", message: expect.stringMatching(/2 programs waiting.*try again in \d+ s/i) });
    const carol = new Visitor("Carol's phone");
    expect((await app.request("/upload", { ...jsonUpload("x = 1\n"), as: carol })).status).toBe(201);
  });

  it("refuses uploads with 503 when the sandbox is not usable, and still serves pages", async () => {
    const assets = new Map([["/editor", { body: new TextEncoder().encode("<!doctype html><title>editor</title>"), contentType: "text/html; charset=utf-8" }]]);
    const app = await start({ sandbox: { ready: false, reason: "bubblewrap is not installed" }, assets });
    const refused = await app.request("/upload", jsonUpload(seedExample));
    expect(refused.status).toBe(503);
    expect(await body(refused)).toMatchObject({ code: "sandbox_unavailable", message: expect.stringMatching(/bubblewrap is not installed/) });
    expect((await app.request("/editor")).status).toBe(200);
    expect(await body(await app.request("/api/queue"))).toMatchObject({ acceptingUploads: false });
  });
});

function formWith(name: string, value: string | File): FormData {
  const form = new FormData();
  form.append(name, value);
  return form;
}

describe("identity and ownership", () => {
  it("marks submissions as mine only for their owner and shows the result only to them", async () => {
    const app = await start();
    const alice = new Visitor("Alice's phone");
    const bob = new Visitor("Bob's phone");
    const { uuid } = (await (await app.request("/upload", { ...jsonUpload(seedExample), as: alice })).json()) as { uuid: string };
    await until(() => app.runner.runs.length === 1, "the run");
    app.runner.last!.finish({ status: "failed", error: "ZeroDivisionError: division by zero (line 3)", stderr: "Traceback..." });
    await until(() => app.ctx.store.get(uuid)?.status === "failed", "the result");

    const mine = await body(await app.request(`/api/submissions/${uuid}`, { as: alice }));
    expect(Value.Check(SubmissionViewSchema, mine)).toBe(true);
    expect(mine).toMatchObject({ mine: true, status: "failed", result: { error: expect.stringMatching(/ZeroDivision/) } });
    const theirs = await body(await app.request(`/api/submissions/${uuid}`, { as: bob }));
    expect(theirs).toMatchObject({ mine: false, status: "failed" });
    expect(theirs.result).toBeUndefined();

    const queue = await body(await app.request("/api/queue", { as: bob }));
    expect(Value.Check(QueueViewSchema, queue)).toBe(true);
    expect((queue.recent as { mine: boolean; result?: unknown }[])[0]).toMatchObject({ mine: false });
    expect((queue.recent as { result?: unknown }[])[0]!.result).toBeUndefined();
  });

  it("never trusts a forged cookie: it is replaced and owns nothing", async () => {
    const app = await start();
    const alice = new Visitor("Alice's phone", "10.42.0.20");
    await app.request("/upload", { ...jsonUpload(seedExample), as: alice });
    const { uuid } = (await (await app.request("/upload", { ...jsonUpload(seedExample), as: alice })).json()) as { uuid: string };
    const aliceId = app.ctx.store.get(uuid)!.user_id;

    const mallory = new Visitor("Mallory's laptop", "10.42.0.66");
    for (const forged of [`${aliceId}.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA`, aliceId, `{"id":"${aliceId}"}`, "%E0%A4%A", "x".repeat(5000)]) {
      mallory.cookies.set(userIdCookieName, forged);
      const view = await app.request(`/api/submissions/${uuid}`, { as: mallory });
      expect(view.status).toBe(200);
      expect(await body(view)).toMatchObject({ mine: false });
      // A fresh, valid cookie was issued in place of the forged one.
      expect(mallory.cookies.get(userIdCookieName)).not.toBe(forged);
      mallory.cookies.set(userIdCookieName, forged);
      const cancel = await app.request(`/api/submissions/${uuid}`, { method: "DELETE", as: mallory });
      expect(cancel.status).toBe(403);
    }
    expect(app.ctx.store.get(uuid)!.status).toBe("pending");
  });

  it("lets the owner cancel a pending submission, not a running one, and nobody else's", async () => {
    const app = await start();
    const alice = new Visitor("Alice's phone");
    const bob = new Visitor("Bob's phone");
    const first = (await (await app.request("/upload", { ...jsonUpload(seedExample), as: alice })).json()) as { uuid: string };
    const second = (await (await app.request("/upload", { ...jsonUpload(seedExample), as: alice })).json()) as { uuid: string };
    await until(() => app.ctx.scheduler.running?.uuid === first.uuid, "the first to run");

    expect((await app.request(`/api/submissions/${second.uuid}`, { method: "DELETE", as: bob })).status).toBe(403);
    const busy = await app.request(`/api/submissions/${first.uuid}`, { method: "DELETE", as: alice });
    expect(busy.status).toBe(409);
    expect(await body(busy)).toMatchObject({ code: "conflict" });
    const cancelled = await app.request(`/api/submissions/${second.uuid}`, { method: "DELETE", as: alice });
    expect(cancelled.status).toBe(200);
    expect(await body(cancelled)).toEqual({ cancelled: true });
    expect(app.ctx.store.get(second.uuid)!.status).toBe("cancelled");
    expect(app.ctx.scheduler.pending).toEqual([]);
  });

  it("answers unknown and malformed ids with 404 JSON", async () => {
    const app = await start();
    for (const id of ["00000000-0000-4000-8000-000000000000", "..%2F..%2Fetc%2Fpasswd", "x".repeat(60)]) {
      const response = await app.request(`/api/submissions/${id}`);
      expect(response.status).toBe(404);
      expect(await body(response)).toMatchObject({ code: "not_found" });
      expect((await app.request(`/api/submissions/${id}`, { method: "DELETE" })).status).toBe(404);
    }
  });
});

describe("the queue", () => {
  it("runs submissions in order, records results and turns a timeout into completed", async () => {
    const app = await start({ config: { uploadsPerMinutePerIp: 100 } });
    const uuids: string[] = [];
    for (let i = 0; i < 3; i++) uuids.push(((await (await app.request("/upload", { ...jsonUpload(`x = ${i}\n`), as: new Visitor(`v${i}`) })).json()) as { uuid: string }).uuid);
    const queue = await body(await app.request("/api/queue"));
    expect((queue.running as { uuid: string }).uuid).toBe(uuids[0]);
    expect((queue.pending as { uuid: string; position: number; etaSeconds: number }[]).map((s) => [s.uuid, s.position])).toEqual([
      [uuids[1], 1],
      [uuids[2], 2],
    ]);
    const [next, after] = queue.pending as { etaSeconds: number }[];
    expect(after!.etaSeconds - next!.etaSeconds).toBe(app.ctx.config.slotSeconds);

    app.runner.runs[0]!.finish({ status: "timeout", error: "stopped at the 45 s limit" });
    await until(() => app.runner.runs.length === 2, "the second run");
    expect(app.ctx.store.get(uuids[0]!)).toMatchObject({ status: "completed", reason: "full_slot", result: { status: "timeout" } });
    expect(app.runner.runs[1]!.options.source).toBe("x = 1\n");
    expect(app.runner.runs[1]!.options.timeLimitMs).toBe(app.ctx.config.slotSeconds * 1000);
  });

  it("streams queue changes as server-sent events", async () => {
    const app = await start();
    const events = await app.request("/api/queue/events", { as: new Visitor("a viewer") });
    expect(events.headers.get("content-type")).toMatch(/text\/event-stream/);
    const reader = events.body!.getReader();
    const decoder = new TextDecoder();
    let text = "";
    const nextEvent = async () => {
      for (;;) {
        const end = text.indexOf("\n\n", text.indexOf("event: queue"));
        if (text.includes("event: queue") && end !== -1) {
          const chunk = text.slice(text.indexOf("event: queue"), end);
          text = text.slice(end + 2);
          return JSON.parse(chunk.split("\ndata: ")[1]!) as { pending: unknown[]; running: unknown };
        }
        const { value } = await reader.read();
        text += decoder.decode(value);
      }
    };
    expect((await nextEvent()).running).toBeNull();
    await app.request("/upload", { ...jsonUpload(seedExample), as: new Visitor("someone else") });
    let view = await nextEvent();
    while (view.running === null) view = await nextEvent();
    expect(view.running).toMatchObject({ status: "running", mine: false });
    await reader.cancel();
  });
});

describe("operator", () => {
  it("is disabled without a password, and says how to enable it", async () => {
    const app = await start();
    const response = await app.request("/api/operator/login", { method: "POST", headers: { "content-type": "application/json" }, body: '{"password":"x"}' });
    expect(response.status).toBe(404);
    expect(await body(response)).toMatchObject({ code: "operator_disabled", message: expect.stringMatching(/operatorPassword/) });
  });

  it("logs in, skips, pauses, removes and blocks", async () => {
    const app = await start({ config: { operatorPassword: "correct horse battery", uploadsPerMinutePerIp: 100, maxPendingPerUser: 10 } });
    const operator = new Visitor("operator", "10.42.0.2");
    const login = (password: string) => app.request("/api/operator/login", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ password }), as: operator });
    expect((await app.request("/api/operator/state", { as: operator })).status).toBe(401);
    expect((await login("wrong")).status).toBe(401);
    expect((await login("correct horse battery")).status).toBe(200);
    expect((await app.request("/api/operator/state", { as: operator })).status).toBe(200);

    const eve = new Visitor("Eve's phone");
    const uploads: string[] = [];
    for (let i = 0; i < 3; i++) uploads.push(((await (await app.request("/upload", { ...jsonUpload("x = 1\n"), as: eve })).json()) as { uuid: string }).uuid);
    await until(() => app.ctx.scheduler.running?.uuid === uploads[0], "the first run");

    expect(await body(await app.request("/api/operator/pause", { method: "POST", as: operator }))).toMatchObject({ paused: true });
    expect((await app.request("/api/operator/skip", { method: "POST", as: operator })).status).toBe(200);
    await until(() => app.ctx.store.get(uploads[0]!)?.status === "cancelled", "the skip");
    expect(app.ctx.store.get(uploads[0]!)).toMatchObject({ reason: "skipped", result: { error: expect.stringMatching(/skipped/) } });
    await until(() => app.ctx.scheduler.running === null, "the skipped job to end");
    // Paused: the next one waits.
    expect(app.ctx.scheduler.pending).toEqual(uploads.slice(1));

    expect((await app.request(`/api/operator/submissions/${uploads[1]}`, { method: "DELETE", as: operator })).status).toBe(200);
    expect(app.ctx.store.get(uploads[1]!)).toMatchObject({ status: "cancelled", reason: "removed" });

    const eveId = app.ctx.store.get(uploads[2]!)!.user_id;
    const blocked = await body(await app.request("/api/operator/block", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ userId: eveId }), as: operator }));
    expect(blocked).toMatchObject({ blocked: [eveId], pending: [] });
    const refused = await app.request("/upload", { ...jsonUpload("x = 1\n"), as: eve });
    expect(refused.status).toBe(403);
    expect(await body(refused)).toMatchObject({ code: "blocked" });

    const invalid = await app.request("/api/operator/block", { method: "POST", headers: { "content-type": "application/json" }, body: '{"userId":"../../x"}', as: operator });
    expect(invalid.status).toBe(400);
    expect(await body(invalid)).toMatchObject({ code: "validation", message: expect.stringMatching(/userId/) });
    expect(await body(await app.request("/api/operator/resume", { method: "POST", as: operator }))).toMatchObject({ paused: false });
  });

  it("rate-limits wrong passwords", async () => {
    const app = await start({ config: { operatorPassword: "correct horse battery" } });
    const statuses = [];
    for (let i = 0; i < 7; i++) {
      statuses.push((await app.request("/api/operator/login", { method: "POST", headers: { "content-type": "application/json" }, body: '{"password":"guess"}' })).status);
    }
    expect(statuses.slice(0, 5)).toEqual([401, 401, 401, 401, 401]);
    expect(statuses.slice(5)).toEqual([429, 429]);
  });
});

describe("headers, errors and pages", () => {
  it("puts the security headers on every kind of response", async () => {
    const assets = new Map([["/queue", { body: new TextEncoder().encode("<!doctype html>" + "q".repeat(2000)), contentType: "text/html; charset=utf-8" }]]);
    const app = await start({ assets });
    const responses = [
      await app.request("/queue", { headers: { "accept-encoding": "gzip" } }),
      await app.request("/api/queue"),
      await app.request("/nope"),
      await app.request("/upload", { method: "POST", body: "x" }),
      await app.request("/upload", jsonUpload(seedExample)),
      await app.request("/generate_204"),
    ];
    for (const response of responses) {
      for (const [name, value] of Object.entries(securityHeaders)) expect([response.status, name, response.headers.get(name)]).toEqual([response.status, name, value]);
    }
    expect(responses[0]!.headers.get("content-encoding")).toBe("gzip");
    expect(Bun.gunzipSync(new Uint8Array(await responses[0]!.arrayBuffer())).byteLength).toBe(2015);
    expect(responses[2]!.status).toBe(404);
    expect(await body(responses[2]!)).toMatchObject({ code: "not_found" });
  });

  it("refuses state changes from other sites", async () => {
    const app = await start();
    const response = await app.request("/upload", { ...jsonUpload(seedExample), headers: { "content-type": "application/json", origin: "http://evil.example" } });
    expect(response.status).toBe(403);
    const same = await app.request("/upload", { ...jsonUpload(seedExample), headers: { "content-type": "application/json", origin: "http://tree.local:8080", host: "tree.local:8080" } });
    expect(same.status).toBe(201);
  });

  it("answers captive-portal probes with a redirect until the page was loaded, then as online", async () => {
    const assets = new Map([["/editor", { body: new TextEncoder().encode("<!doctype html>"), contentType: "text/html; charset=utf-8" }]]);
    const app = await start({ assets });
    const probe = await app.request("/generate_204", { ip: "10.42.0.77" });
    expect(probe.status).toBe(302);
    expect(probe.headers.get("location")).toBe("/editor");
    await app.request("/editor", { ip: "10.42.0.77" });
    expect((await app.request("/generate_204", { ip: "10.42.0.77" })).status).toBe(204);
    expect(await (await app.request("/hotspot-detect.html", { ip: "10.42.0.77" })).text()).toContain("Success");
    expect(await (await app.request("/connecttest.txt", { ip: "10.42.0.77" })).text()).toBe("Microsoft Connect Test");
    expect((await app.request("/generate_204", { ip: "10.42.0.78" })).status).toBe(302);
  });

  it("serves the layout for the LED count and says the tree is offline without a daemon", async () => {
    const app = await start({ config: { fallbackLedCount: 42 } });
    const layout = await body(await app.request("/api/layout"));
    expect(layout.ledCount).toBe(42);
    expect(layout.positions).toHaveLength(42);
    expect(await body(await app.request("/api/health"))).toEqual({
      ok: true,
      tree: { online: false },
      sandbox: { ready: true },
      host: { state: "not-on-appliance", reason: expect.stringMatching(/^Not on an appliance/), status: null },
    });
  });
});

describe("Host allow-list (DNS rebinding)", () => {
  const assets = new Map([["/editor", { body: new TextEncoder().encode("<!doctype html><title>editor</title>"), contentType: "text/html; charset=utf-8" }]]);

  it("refuses a foreign Host with 421 JSON, even when Origin agrees with it, as a rebinding page's would", async () => {
    const app = await start({ assets });
    const foreign = { host: "attacker.example:8080" };
    const responses = [
      await app.request("/upload", { ...jsonUpload(seedExample), headers: { "content-type": "application/json", origin: "http://attacker.example:8080", ...foreign } }),
      await app.request("/api/queue", { headers: foreign }),
      await app.request("/api/queue/events", { headers: foreign }),
      await app.request("/editor", { headers: foreign }),
      await app.request("/api/operator/state", { headers: foreign }),
      await app.request("/generate_204", { method: "POST", headers: foreign }),
    ];
    for (const response of responses) {
      expect(response.status).toBe(421);
      expect(await body(response)).toMatchObject({ code: "unknown_host", message: expect.stringMatching(/attacker\.example/) });
      for (const [name, value] of Object.entries(securityHeaders)) expect(response.headers.get(name)).toBe(value);
    }
    expect(app.ctx.store.all()).toEqual([]);
    expect(app.ctx.events.size).toBe(0);
  });

  it("answers at its own names and at any IP literal, on any port", async () => {
    const app = await start({ assets, config: { publicUrl: "http://xmas.example.org:8080/" } });
    for (const host of ["xmas.example.org:8080", "localhost:5173", "tree.local", "TREE.LOCAL:80", `${hostname()}.local`, hostname(), "10.42.0.1", "192.168.1.23:8080", "[::1]:8080", "[fd00::1]"]) {
      const response = await app.request("/api/health", { headers: { host } });
      expect([host, response.status]).toEqual([host, 200]);
    }
    const upload = await app.request("/upload", { ...jsonUpload(seedExample), headers: { "content-type": "application/json", origin: "http://10.42.0.1:8080", host: "10.42.0.1:8080" } });
    expect(upload.status).toBe(201);
  });

  it("still answers captive-portal probes asked under the vendors' names, sending the phone to publicUrl", async () => {
    const app = await start({ assets, config: { publicUrl: "http://10.42.0.1/" } });
    for (const [host, path] of [
      ["connectivitycheck.gstatic.com", "/generate_204"],
      ["captive.apple.com", "/hotspot-detect.html"],
      ["www.msftconnecttest.com", "/connecttest.txt"],
      ["detectportal.firefox.com", "/canonical.html"],
    ]) {
      const probe = await app.request(path!, { headers: { host: host! }, ip: "10.42.0.77" });
      expect([host, probe.status, probe.headers.get("location")]).toEqual([host, 302, "http://10.42.0.1/editor"]);
    }
    // Only the probe paths: the rest of the site is not served under a vendor's name.
    expect((await app.request("/editor", { headers: { host: "connectivitycheck.gstatic.com" }, ip: "10.42.0.77" })).status).toBe(421);
    // Once the phone has loaded the editor at the tree's own address, its probes are answered "online".
    expect((await app.request("/editor", { headers: { host: "10.42.0.1" }, ip: "10.42.0.77" })).status).toBe(200);
    expect((await app.request("/generate_204", { headers: { host: "connectivitycheck.gstatic.com" }, ip: "10.42.0.77" })).status).toBe(204);
    expect(await (await app.request("/hotspot-detect.html", { headers: { host: "captive.apple.com" }, ip: "10.42.0.77" })).text()).toContain("Success");
  });

  it("without a publicUrl, answers a foreign-Host probe as online rather than redirect to a name it refuses", async () => {
    const app = await start({ assets });
    const probe = await app.request("/generate_204", { headers: { host: "connectivitycheck.gstatic.com" }, ip: "10.42.0.78" });
    expect(probe.status).toBe(204);
    // At its own address the probe is still redirected to the editor.
    const own = await app.request("/generate_204", { headers: { host: "10.42.0.1" }, ip: "10.42.0.78" });
    expect([own.status, own.headers.get("location")]).toEqual([302, "/editor"]);
  });
});

describe("restart", () => {
  it("re-queues pending submissions in their original order and re-runs the interrupted one first", async () => {
    const first = await start({ config: { uploadsPerMinutePerIp: 100, maxPendingPerUser: 10 } });
    const uuids: string[] = [];
    for (let i = 0; i < 4; i++) uuids.push(((await (await first.request("/upload", { ...jsonUpload(`x = ${i}\n`), as: new Visitor(`v${i}`) })).json()) as { uuid: string }).uuid);
    await until(() => first.ctx.scheduler.running?.uuid === uuids[0], "the first run");
    await first.stop();
    running.splice(running.indexOf(first), 1);

    const second = await start({ dataDir: first.dataDir });
    expect(second.recovery).toMatchObject({ loaded: 4, requeued: 4, interrupted: 0 });
    await until(() => second.runner.runs.length === 1, "the re-run");
    expect(second.runner.runs[0]!.options.source).toBe("x = 0\n");
    expect(second.ctx.scheduler.pending).toEqual(uuids.slice(1));
  });
});

describe("hostile requests", () => {
  const cases: [string, RequestInit][] = [
    ["/api/submissions/%ZZ", {}],
    ["/api/submissions/%E0%A4%A", { method: "DELETE" }],
    ["/%00", {}],
    ["/api/queue?x=%ZZ&y", {}],
    ["/api/queue", { headers: { cookie: "user_id=%ZZ; user_id=1; =; ;;" } }],
    ["/api/queue", { headers: { cookie: 'user_id={"a":1}' } }],
    ["/api/queue", { headers: { cookie: "__proto__=1; constructor=2" } }],
    ["/api/operator/login", { method: "POST", headers: { "content-type": "application/json" }, body: "[]" }],
    ["/api/operator/login", { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: "password=%ZZ" }],
    ["/api/operator/login", { method: "POST", headers: { "content-type": "multipart/form-data; boundary=x" }, body: "garbage" }],
    ["/api/operator/login", { method: "POST", headers: { "content-type": "application/json" }, body: `{"password":"${"a".repeat(100_000)}"}` }],
    ["/upload", { method: "POST", headers: { "content-type": "multipart/form-data" }, body: "garbage" }],
    ["/upload", { method: "PUT", body: "x" }],
    ["/api/queue/events", { method: "POST" }],
  ];
  it.each(cases)("%s answers a 4xx or 2xx, never a 500", async (path, init) => {
    const app = await start({ config: { operatorPassword: "correct horse battery" } });
    const response = await app.request(path, init);
    expect(response.status).toBeLessThan(500);
    if (response.status >= 400) expect(await body(response)).toMatchObject({ code: expect.any(String), message: expect.any(String) });
    expect(app.logs.filter((line) => line.startsWith("internal error"))).toEqual([]);
  });
});
