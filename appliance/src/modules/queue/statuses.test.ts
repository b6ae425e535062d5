/**
 * What a visitor reads about each finished submission, through the HTTP API:
 * every way a turn can end has its own reason, and the status is the seed's
 * (or `cancelled`). Also the paused queue's ETAs and the held last frame.
 */
import { describe, expect, it } from "vitest";
import { Value } from "@sinclair/typebox/value";
import type { Config } from "../../config.ts";
import { jsonUpload, seedExample, testAppliance, Visitor, type TestAppliance, stopAfterEach } from "../../testing/test-appliance.ts";
import type { SubmissionView, UploadAccepted } from "../submissions/model.ts";
import { QueueViewSchema, type QueueView } from "./model.ts";

const running = stopAfterEach();

async function start(config: Partial<Config> = {}) {
  const app = await testAppliance({ config: { operatorPassword: "correct horse battery", uploadsPerMinutePerIp: 100, maxPendingPerUser: 10, maxPendingPerIp: 20, ...config } });
  running.push(app);
  return app;
}

const until = async (condition: () => boolean, what: string) => {
  const start = Date.now();
  while (!condition()) {
    if (Date.now() - start > 5000) throw new Error(`timed out waiting for ${what}`);
    await Bun.sleep(5);
  }
};

async function upload(app: TestAppliance, as: Visitor, code = seedExample): Promise<string> {
  const response = await app.request("/upload", { ...jsonUpload(code), as });
  expect(response.status).toBe(201);
  return ((await response.json()) as UploadAccepted).uuid;
}

const viewOf = async (app: TestAppliance, uuid: string, as: Visitor) => (await (await app.request(`/api/submissions/${uuid}`, { as })).json()) as SubmissionView;

async function operator(app: TestAppliance): Promise<Visitor> {
  const visitor = new Visitor("operator", "10.42.0.2");
  const login = await app.request("/api/operator/login", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ password: "correct horse battery" }), as: visitor });
  expect(login.status).toBe(200);
  return visitor;
}

describe("finished submissions tell why", () => {
  it("reads right for an ending, a full slot, an error with its line, a skip, a removal and a cancel", async () => {
    const app = await start();
    const alice = new Visitor("Alice's phone", "10.42.0.40");
    const bob = new Visitor("Bob's phone", "10.42.0.41");
    const op = await operator(app);
    const uuids = [];
    for (let i = 0; i < 6; i++) uuids.push(await upload(app, alice));
    const [ended, fullSlot, error, skipped, removed, sixth] = uuids as [string, string, string, string, string, string];

    await until(() => app.runner.runs.length === 1, "the first run");
    app.runner.last!.finish({ status: "completed" });
    await until(() => app.runner.runs.length === 2, "the second run");
    app.runner.last!.finish({ status: "timeout", durationMs: 45_003, error: "stopped at the 45 s limit" });
    await until(() => app.runner.runs.length === 3, "the third run");
    app.runner.last!.finish({ status: "failed", error: "line 2: ValueError: setLEDs needs 100 states, got 10" });
    await until(() => app.runner.runs.length === 4, "the fourth run");
    expect((await app.request("/api/operator/skip", { method: "POST", as: op })).status).toBe(200);
    await until(() => app.runner.runs.length === 5, "the fifth run");
    expect((await app.request(`/api/operator/submissions/${removed}`, { method: "DELETE", as: op })).status).toBe(200);
    // The sixth runs next; a cancel needs a waiting one, so one more is sent and cancelled.
    await until(() => app.runner.runs.length === 6, "the sixth run");
    expect(app.runner.last!.options.source).toBe(seedExample);
    const waiting = await upload(app, alice);
    expect((await app.request(`/api/submissions/${waiting}`, { method: "DELETE", as: alice })).status).toBe(200);
    app.runner.last!.finish({ status: "completed" });
    await until(() => app.ctx.store.get(sixth)?.status === "completed", "the sixth to end");

    const expected: [string, string, string, string | RegExp][] = [
      [ended, "completed", "ran_to_end", "Ran to the end."],
      [fullSlot, "completed", "full_slot", "Ran its full 45 s turn."],
      [error, "failed", "error", "Stopped by an error on line 2."],
      [skipped, "cancelled", "skipped", "Skipped by the operator."],
      [removed, "cancelled", "removed", "Removed by the operator."],
      [waiting, "cancelled", "cancelled", "Cancelled by you."],
    ];
    for (const [uuid, status, code, text] of expected) {
      const view = await viewOf(app, uuid, alice);
      expect(view, code).toMatchObject({ status, reason: { code, text } });
    }
    expect((await viewOf(app, error, alice)).reason).toMatchObject({ line: 2 });
    // Others read the same reasons, without the owner's result; a cancel is its owner's, not theirs.
    expect(await viewOf(app, skipped, bob)).toMatchObject({ status: "cancelled", reason: { text: "Skipped by the operator." } });
    expect((await viewOf(app, skipped, bob)).result).toBeUndefined();
    expect((await viewOf(app, waiting, bob)).reason!.text).toBe("Cancelled by its owner.");
    const queue = (await (await app.request("/api/queue", { as: alice })).json()) as QueueView;
    expect(Value.Check(QueueViewSchema, queue)).toBe(true);
    expect(queue.recent.every((view) => view.reason !== null)).toBe(true);
  });

  it("shows no start time while the queue is paused, and counts again once it resumes", async () => {
    const app = await start();
    const alice = new Visitor("Alice's phone", "10.42.0.42");
    const op = await operator(app);
    await upload(app, alice);
    await until(() => app.runner.runs.length === 1, "the first run");
    await app.request("/api/operator/pause", { method: "POST", as: op });
    const accepted = (await (await app.request("/upload", { ...jsonUpload(seedExample), as: alice })).json()) as UploadAccepted;
    expect(accepted.etaSeconds).toBeNull();
    const paused = (await (await app.request("/api/queue", { as: alice })).json()) as QueueView;
    expect(paused.paused).toBe(true);
    expect(paused.pending.map((view) => view.etaSeconds)).toEqual([null]);
    await app.request("/api/operator/resume", { method: "POST", as: op });
    const resumed = (await (await app.request("/api/queue", { as: alice })).json()) as QueueView;
    expect(resumed.pending[0]!.etaSeconds).toBeGreaterThan(0);
  });
});

describe("the held last frame in the queue view", () => {
  it("says whose last frame the tree shows and for how long, and delays the next start", async () => {
    const app = await start({ minShowSeconds: 30, idleAfterSeconds: 60 });
    const alice = new Visitor("Alice's phone", "10.42.0.43");
    const bob = new Visitor("Bob's phone", "10.42.0.44");
    const first = await upload(app, alice);
    await until(() => app.runner.runs.length === 1, "the run");
    app.runner.last!.finish({ status: "completed", frames: 1 });
    await until(() => app.ctx.scheduler.heldFrame !== null, "the hold");

    const alicesView = (await (await app.request("/api/queue", { as: alice })).json()) as QueueView;
    expect(Value.Check(QueueViewSchema, alicesView)).toBe(true);
    expect(alicesView.running).toBeNull();
    expect(alicesView.idleShow).toBe(false);
    expect(alicesView.lastFrame).toMatchObject({ uuid: first, mine: true });
    // Nobody waits: the idle timeout, counted from the program's end.
    expect(alicesView.lastFrame!.remainingSeconds).toBeGreaterThan(55);
    expect(alicesView.lastFrame!.remainingSeconds).toBeLessThanOrEqual(60);
    expect(alicesView.recent[0]).toMatchObject({ uuid: first, status: "completed", reason: { code: "ran_to_end" } });

    const second = await upload(app, bob);
    const bobsView = (await (await app.request("/api/queue", { as: bob })).json()) as QueueView;
    expect(bobsView.lastFrame).toMatchObject({ uuid: first, mine: false });
    // Somebody waits now: the hold lasts until minShow after the first one's start, and the ETA says so.
    expect(bobsView.lastFrame!.remainingSeconds).toBeGreaterThan(25);
    expect(bobsView.lastFrame!.remainingSeconds).toBeLessThanOrEqual(30);
    expect(bobsView.pending[0]).toMatchObject({ uuid: second, etaSeconds: bobsView.lastFrame!.remainingSeconds });
    expect(app.runner.runs).toHaveLength(1);
  });

  it("holds nothing after an operator's skip", async () => {
    const app = await start({ minShowSeconds: 30, idleAfterSeconds: 60 });
    const op = await operator(app);
    await upload(app, new Visitor("Alice's phone", "10.42.0.45"));
    await until(() => app.runner.runs.length === 1, "the run");
    await app.request("/api/operator/skip", { method: "POST", as: op });
    await until(() => app.ctx.scheduler.running === null, "the skip");
    expect(app.ctx.scheduler.heldFrame).toBeNull();
  });
});
