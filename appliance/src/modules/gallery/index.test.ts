/**
 * The gallery's API through app.handle: only the owner shares or stops sharing, only a program that
 * ran, titles are checked (length after trimming, one line, no direction controls) and kept as text,
 * the operator hides and unhides, blocked visitors and hidden programs are not listed, the listing
 * pages with a cursor, and everything survives a restart.
 */
import { Value } from "@sinclair/typebox/value";
import { describe, expect, it } from "vitest";
import { jsonUpload, testAppliance, Visitor, type TestAppliance, stopAfterEach } from "../../testing/test-appliance.ts";
import type { SubmissionView } from "../submissions/model.ts";
import { GalleryPageSchema, type GalleryPage, type ShareState } from "./model.ts";
import { galleryTitleMaxChars } from "./title.ts";

const operatorPassword = "correct horse battery";
const running = stopAfterEach();

async function start(options: Parameters<typeof testAppliance>[0] = {}): Promise<TestAppliance> {
  const app = await testAppliance({ ...options, config: { operatorPassword, uploadsPerMinutePerIp: 100, maxPendingPerUser: 10, ...options.config } });
  running.push(app);
  return app;
}

const until = async (condition: () => boolean, what: string) => {
  const started = Date.now();
  while (!condition()) {
    if (Date.now() - started > 10_000) throw new Error(`timed out waiting for ${what}`);
    await Bun.sleep(5);
  }
};

/** Uploads a program as `visitor` and lets the fake runner finish it as `result` says. */
async function ran(app: TestAppliance, visitor: Visitor, code: string, result: Parameters<NonNullable<TestAppliance["runner"]["last"]>["finish"]>[0] = {}): Promise<string> {
  const runsBefore = app.runner.runs.length;
  const response = await app.request("/upload", { ...jsonUpload(code), as: visitor });
  expect(response.status).toBe(201);
  const { uuid } = (await response.json()) as { uuid: string };
  await until(() => app.runner.runs.length > runsBefore, "its run");
  app.runner.last!.finish(result);
  await until(() => app.ctx.store.get(uuid)?.finishedAt !== undefined, "its end");
  return uuid;
}

const shareRequest = (uuid: string, body: unknown, as: Visitor | undefined, method = "POST"): [string, RequestInit & { as?: Visitor }] => [
  `/api/submissions/${uuid}/share`,
  { method, headers: { "content-type": "application/json" }, body: method === "DELETE" ? undefined : JSON.stringify(body), as },
];

async function shareAs(app: TestAppliance, uuid: string, body: unknown, as?: Visitor): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await app.request(...shareRequest(uuid, body, as));
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

async function gallery(app: TestAppliance, query = "", as?: Visitor): Promise<GalleryPage> {
  const response = await app.request(`/api/gallery${query}`, { as });
  expect(response.status).toBe(200);
  const page = await response.json();
  expect(Value.Check(GalleryPageSchema, page)).toBe(true);
  return page as GalleryPage;
}

async function operator(app: TestAppliance): Promise<Visitor> {
  const op = new Visitor("Operator's laptop", "10.42.0.2");
  const login = await app.request("/api/operator/login", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ password: operatorPassword }), as: op });
  expect(login.status).toBe(200);
  return op;
}

describe("sharing", () => {
  it("lists a program its owner shared, with title, code and when it ran; nobody else may share or unshare it", async () => {
    const app = await start();
    const alice = new Visitor("Alice's phone", "10.42.0.11");
    const bob = new Visitor("Bob's phone", "10.42.0.12");
    const code = "setLEDs([[0, 255, 0, 100]] * getLEDCount())\n";
    const uuid = await ran(app, alice, code);
    expect((await gallery(app)).entries).toEqual([]);

    // Nothing is shared without the owner's action, and another browser is refused.
    const asBob = await shareAs(app, uuid, { title: "Mine now" }, bob);
    expect(asBob.status).toBe(403);
    expect(asBob.body.message).toMatch(/Only the browser that sent this program can share it/);
    const noCookie = await shareAs(app, uuid, {});
    expect(noCookie.status).toBe(403);

    const shared = await shareAs(app, uuid, { title: "  Green everywhere  " }, alice);
    expect(shared.status).toBe(200);
    expect(shared.body).toEqual({ uuid, shared: true, title: "Green everywhere", hidden: false } satisfies ShareState);

    const page = await gallery(app, "", bob);
    const record = app.ctx.store.get(uuid)!;
    expect(page).toEqual({
      entries: [{ uuid, shortId: uuid.slice(0, 8), title: "Green everywhere", code, ranAt: record.startedAt, sharedAt: record.shared!.at, mine: false }],
      next: null,
    });
    expect((await gallery(app, "", alice)).entries[0]!.mine).toBe(true);

    // The owner's queue view says it is shared.
    const view = (await (await app.request(`/api/submissions/${uuid}`, { as: alice })).json()) as SubmissionView;
    expect(view.gallery).toEqual({ shareable: true, shared: true, title: "Green everywhere", hidden: false });
    const bobsView = (await (await app.request(`/api/submissions/${uuid}`, { as: bob })).json()) as SubmissionView;
    expect(bobsView.gallery).toBeUndefined();

    expect((await app.request(...shareRequest(uuid, undefined, bob, "DELETE"))).status).toBe(403);
    expect((await gallery(app)).entries).toHaveLength(1);
    const unshared = await app.request(...shareRequest(uuid, undefined, alice, "DELETE"));
    expect(unshared.status).toBe(200);
    expect(await unshared.json()).toMatchObject({ shared: false, title: null });
    expect((await gallery(app)).entries).toEqual([]);
  });

  it("shares only a program that ran, and says why not otherwise", async () => {
    const app = await start({ config: { slotSeconds: 600 } });
    const alice = new Visitor("Alice's phone", "10.42.0.11");
    const failedEarly = await ran(app, alice, "x = 1\n", { status: "failed", frames: 0, error: "line 1: NameError: name 'y' is not defined" });
    const refusal = await shareAs(app, failedEarly, {}, alice);
    expect(refusal.status).toBe(409);
    expect(refusal.body.message).toMatch(/before it lit the tree/);
    // An error after it showed something: it ran, it may be shared.
    const failedLate = await ran(app, alice, "x = 2\n", { status: "failed", frames: 40, error: "line 3: ZeroDivisionError: division by zero" });
    expect((await shareAs(app, failedLate, {}, alice)).status).toBe(200);

    // Waiting (behind a running one), then cancelled.
    const first = (await (await app.request("/upload", { ...jsonUpload("a = 1\n"), as: alice })).json()) as { uuid: string };
    await until(() => app.ctx.scheduler.running?.uuid === first.uuid, "a run");
    const waiting = (await (await app.request("/upload", { ...jsonUpload("b = 1\n"), as: alice })).json()) as { uuid: string };
    const notYet = await shareAs(app, waiting.uuid, {}, alice);
    expect([notYet.status, notYet.body.message]).toEqual([409, expect.stringMatching(/has not run yet/)]);
    expect((await app.request(`/api/submissions/${waiting.uuid}`, { method: "DELETE", as: alice })).status).toBe(200);
    expect((await shareAs(app, waiting.uuid, {}, alice)).body.message).toMatch(/cancelled before it ran/);

    const missing = await shareAs(app, "00000000-0000-4000-8000-000000000000", {}, alice);
    expect([missing.status, missing.body.code]).toEqual([404, "not_found"]);
    expect((await shareAs(app, "not-a-uuid", {}, alice)).status).toBe(404);
  });
});

describe("titles", () => {
  it(`take at most ${galleryTitleMaxChars} characters after trimming, one line, no direction controls`, async () => {
    const app = await start();
    const alice = new Visitor("Alice's phone", "10.42.0.11");
    const uuid = await ran(app, alice, "x = 1\n");
    const tooLong = await shareAs(app, uuid, { title: "a".repeat(galleryTitleMaxChars + 1) }, alice);
    expect([tooLong.status, tooLong.body.code]).toEqual([400, "validation"]);
    expect(tooLong.body.message).toBe(`title: at most ${galleryTitleMaxChars} characters, this one has ${galleryTitleMaxChars + 1}. Shorten it and share again.`);
    const wayTooLong = await shareAs(app, uuid, { title: "a".repeat(10_000) }, alice);
    expect([wayTooLong.status, wayTooLong.body.message]).toEqual([400, `title: title must be text of at most ${galleryTitleMaxChars} characters`]);
    expect((await shareAs(app, uuid, { title: ` ${"a".repeat(galleryTitleMaxChars)}  ` }, alice)).status).toBe(200);
    // Emoji count as one character each.
    expect((await shareAs(app, uuid, { title: "🎄".repeat(galleryTitleMaxChars) }, alice)).status).toBe(200);

    const lineBreak = await shareAs(app, uuid, { title: "two\nlines" }, alice);
    expect([lineBreak.status, lineBreak.body.message]).toEqual([400, expect.stringMatching(/on one line.*U\+000A/)]);
    const override = await shareAs(app, uuid, { title: "evil\u202Egnp.exe" }, alice);
    expect([override.status, override.body.message]).toEqual([400, expect.stringMatching(/text-direction character U\+202E/)]);
    const notText = await shareAs(app, uuid, { title: 42 }, alice);
    expect(notText.status).toBe(400);
    // Unknown fields are dropped, never stored.
    expect((await shareAs(app, uuid, { title: "ok", html: "<b>" }, alice)).status).toBe(200);
    expect(JSON.stringify(app.ctx.store.get(uuid))).not.toContain("<b>");
    const noBody = await app.request(`/api/submissions/${uuid}/share`, { method: "POST", as: alice });
    expect(noBody.status).toBeLessThan(500);
    // No title at all is fine.
    expect((await shareAs(app, uuid, {}, alice)).body).toMatchObject({ shared: true, title: "" });
    expect(app.logs.filter((line) => line.startsWith("internal error"))).toEqual([]);
  });

  it("keeps HTML in a title as the text it is", async () => {
    const app = await start();
    const alice = new Visitor("Alice's phone", "10.42.0.11");
    const uuid = await ran(app, alice, "x = 1\n");
    const title = `<img src=x onerror="alert(1)"> & <b>bold</b>`;
    expect((await shareAs(app, uuid, { title }, alice)).status).toBe(200);
    const response = await app.request("/api/gallery");
    expect(response.headers.get("content-type")).toMatch(/^application\/json/);
    expect(((await response.json()) as GalleryPage).entries[0]!.title).toBe(title);
  });
});

describe("the operator", () => {
  it("hides and unhides a shared program; the owner cannot bring a hidden one back", async () => {
    const app = await start();
    const alice = new Visitor("Alice's phone", "10.42.0.11");
    const uuid = await ran(app, alice, "x = 1\n");
    await shareAs(app, uuid, { title: "Rude words" }, alice);

    // Visitors (even the owner) cannot hide, and learn the operator is not signed in.
    expect((await app.request(`/api/operator/gallery/${uuid}/hide`, { method: "POST", as: alice })).status).toBe(401);
    expect(await (await app.request("/api/operator/gallery/session", { as: alice })).json()).toEqual({ signedIn: false });
    const op = await operator(app);
    expect(await (await app.request("/api/operator/gallery/session", { as: op })).json()).toEqual({ signedIn: true });

    const hidden = await app.request(`/api/operator/gallery/${uuid}/hide`, { method: "POST", as: op });
    expect(hidden.status).toBe(200);
    expect(await hidden.json()).toMatchObject({ shared: true, hidden: true });
    expect((await gallery(app)).entries).toEqual([]);
    // The operator's own listing still shows it, marked.
    const theirs = (await (await app.request("/api/operator/gallery", { as: op })).json()) as GalleryPage;
    expect(theirs.entries.map((entry) => [entry.uuid, entry.hidden])).toEqual([[uuid, true]]);
    expect((await app.request("/api/operator/gallery", { as: alice })).status).toBe(401);

    const again = await shareAs(app, uuid, { title: "Nice words" }, alice);
    expect([again.status, again.body.message]).toEqual([409, expect.stringMatching(/operator has taken program .* out of the gallery/)]);
    expect((await gallery(app)).entries).toEqual([]);

    expect((await app.request(`/api/operator/gallery/${uuid}/unhide`, { method: "POST", as: op })).status).toBe(200);
    expect((await gallery(app)).entries.map((entry) => entry.title)).toEqual(["Rude words"]);

    const notShared = await ran(app, alice, "y = 1\n");
    expect((await app.request(`/api/operator/gallery/${notShared}/hide`, { method: "POST", as: op })).status).toBe(409);
  });

  it("blocking a visitor takes their shared programs out of the gallery", async () => {
    const app = await start();
    const alice = new Visitor("Alice's phone", "10.42.0.11");
    const bob = new Visitor("Bob's phone", "10.42.0.12");
    const alices = await ran(app, alice, "x = 1\n");
    const bobs = await ran(app, bob, "y = 1\n");
    await shareAs(app, alices, { title: "Alice" }, alice);
    await shareAs(app, bobs, { title: "Bob" }, bob);
    expect((await gallery(app)).entries.map((entry) => entry.title)).toEqual(["Bob", "Alice"]);
    const op = await operator(app);
    const block = await app.request("/api/operator/block", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ ip: "10.42.0.12" }), as: op });
    expect(block.status).toBe(200);
    expect((await gallery(app)).entries.map((entry) => entry.title)).toEqual(["Alice"]);
    const blockedShare = await shareAs(app, bobs, { title: "Back" }, bob);
    expect(blockedShare.status).toBe(403);
  });
});

describe("the listing", () => {
  it("pages newest first with a cursor", async () => {
    let clock = Date.parse("2026-12-03T18:00:00Z");
    const app = await start();
    app.ctx.now = () => (clock += 1000);
    const alice = new Visitor("Alice's phone", "10.42.0.11");
    const uuids: string[] = [];
    for (let i = 0; i < 5; i++) {
      const uuid = await ran(app, alice, `x = ${i}\n`);
      await shareAs(app, uuid, { title: `number ${i}` }, alice);
      uuids.push(uuid);
    }
    const first = await gallery(app, "?limit=2");
    expect(first.entries.map((entry) => entry.title)).toEqual(["number 4", "number 3"]);
    const second = await gallery(app, `?limit=2&before=${first.next}`);
    expect(second.entries.map((entry) => entry.title)).toEqual(["number 2", "number 1"]);
    const last = await gallery(app, `?limit=2&before=${second.next}`);
    expect(last).toMatchObject({ entries: [{ title: "number 0" }], next: null });
    // Re-sharing (a new title) brings it to the top.
    await shareAs(app, uuids[0]!, { title: "number 0 again" }, alice);
    expect((await gallery(app, "?limit=1")).entries[0]!.title).toBe("number 0 again");

    for (const bad of ["?limit=0", "?limit=51", "?limit=x", "?before=<script>", "?before=1-2-3"]) {
      const response = await app.request(`/api/gallery${bad}`);
      expect(response.status, bad).toBe(400);
      expect(((await response.json()) as { message: string }).message, bad).toMatch(/^(limit|before)/);
    }
  });

  it("survives a restart: shared, titled and hidden stay as they were", async () => {
    const first = await start();
    const alice = new Visitor("Alice's phone", "10.42.0.11");
    const kept = await ran(first, alice, "x = 1\n");
    const hidden = await ran(first, alice, "y = 2\n");
    await shareAs(first, kept, { title: "Kept" }, alice);
    await shareAs(first, hidden, { title: "Hidden" }, alice);
    const op = await operator(first);
    await first.request(`/api/operator/gallery/${hidden}/hide`, { method: "POST", as: op });
    const before = await gallery(first);
    await first.stop();
    running.splice(running.indexOf(first), 1);

    const second = await start({ dataDir: first.dataDir });
    expect(await gallery(second)).toEqual(before);
    expect(before.entries.map((entry) => entry.title)).toEqual(["Kept"]);
    expect(second.ctx.store.get(hidden)).toMatchObject({ shared: { title: "Hidden" }, galleryHiddenAt: expect.any(String) });
    // Still the owner's: the cookie outlives the restart.
    const unshared = await second.request(...shareRequest(kept, undefined, alice, "DELETE"));
    expect(unshared.status).toBe(200);
  });

  it("limits how often one address shares", async () => {
    const app = await start({ config: { uploadsPerMinutePerIp: 2 } });
    const alice = new Visitor("Alice's phone", "10.42.0.11");
    const uuid = await ran(app, alice, "x = 1\n");
    // A refused share does not count.
    expect((await shareAs(app, uuid, { title: "a".repeat(61) }, alice)).status).toBe(400);
    expect((await shareAs(app, uuid, { title: "one" }, alice)).status).toBe(200);
    expect((await shareAs(app, uuid, { title: "two" }, alice)).status).toBe(200);
    const third = await app.request(...shareRequest(uuid, { title: "three" }, alice));
    expect(third.status).toBe(429);
    expect(third.headers.get("retry-after")).toMatch(/^\d+$/);
    expect(((await third.json()) as { message: string }).message).toMatch(/at most 2 per minute/);
  });
});

describe("hostile requests", () => {
  const uuid = "00000000-0000-4000-8000-000000000000";
  const cases: [string, RequestInit][] = [
    ["/api/gallery?before=%ZZ", {}],
    ["/api/gallery?limit=1e3", {}],
    ["/api/gallery?before=99999999999999999999-1", {}],
    [`/api/submissions/${uuid}/share`, { method: "POST", headers: { "content-type": "text/plain" }, body: "title" }],
    [`/api/submissions/${uuid}/share`, { method: "POST", headers: { "content-type": "application/json" }, body: "[]" }],
    [`/api/submissions/${uuid}/share`, { method: "POST", headers: { "content-type": "multipart/form-data; boundary=x" }, body: "garbage" }],
    [`/api/submissions/${uuid}/share`, { method: "POST", headers: { "content-type": "application/json" }, body: `{"title": {"__proto__": {"x": 1}}}` }],
    ["/api/submissions/%E0%A4%A/share", { method: "DELETE" }],
    ["/api/operator/gallery/..%2F..%2Fetc/hide", { method: "POST" }],
    ["/api/operator/gallery", { headers: { cookie: "operator=forged" } }],
  ];
  it.each(cases)("%s answers a 4xx or 2xx, never a 500", async (path, init) => {
    const app = await start();
    const response = await app.request(path, init);
    expect(response.status).toBeLessThan(500);
    if (response.status >= 400) expect(await response.json()).toMatchObject({ code: expect.any(String), message: expect.any(String) });
    expect(app.logs.filter((line) => line.startsWith("internal error"))).toEqual([]);
  });
});
