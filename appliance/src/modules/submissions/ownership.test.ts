/**
 * Ownership follows the browser, not the fingerprint: two browsers on one
 * address with one User-Agent (a "twin", e.g. two phones of the same model on
 * the hotspot's NAT, or a private window) share a user_id but own nothing of
 * each other's.
 */
import { describe, expect, it } from "vitest";
import { signCookie } from "elysia/utils";
import type { QueueView } from "../queue/model.ts";
import { userIdCookieName } from "../../identity/user-id.ts";
import { jsonUpload, seedExample, testAppliance, Visitor, stopAfterEach } from "../../testing/test-appliance.ts";
import type { SubmissionView } from "./model.ts";

const running = stopAfterEach();

const until = async (condition: () => boolean, what: string) => {
  const start = Date.now();
  while (!condition()) {
    if (Date.now() - start > 5000) throw new Error(`timed out waiting for ${what}`);
    await Bun.sleep(5);
  }
};

describe("a twin browser (same address, same User-Agent, its own cookies)", () => {
  it("shares the fingerprint but owns none of the first browser's programs", async () => {
    const app = await testAppliance();
    running.push(app);
    const first = new Visitor("Same phone model", "10.42.0.30");
    const twin = new Visitor("Same phone model", "10.42.0.30");
    const running1 = (await (await app.request("/upload", { ...jsonUpload(seedExample), as: first })).json()) as { uuid: string };
    const waiting = (await (await app.request("/upload", { ...jsonUpload(seedExample), as: first })).json()) as { uuid: string };
    await until(() => app.ctx.scheduler.running?.uuid === running1.uuid, "the first run");

    // Files and records still carry the fingerprint, which both browsers share.
    const twinUpload = (await (await app.request("/upload", { ...jsonUpload(seedExample), as: twin })).json()) as { uuid: string };
    expect(app.ctx.store.get(twinUpload.uuid)!.user_id).toBe(app.ctx.store.get(waiting.uuid)!.user_id);
    expect(app.ctx.store.get(twinUpload.uuid)!.owner_id).not.toBe(app.ctx.store.get(waiting.uuid)!.owner_id);

    const twinsQueue = (await (await app.request("/api/queue", { as: twin })).json()) as QueueView;
    expect(twinsQueue.running).toMatchObject({ uuid: running1.uuid, mine: false });
    expect(twinsQueue.pending.map((view) => [view.uuid, view.mine])).toEqual([
      [waiting.uuid, false],
      [twinUpload.uuid, true],
    ]);
    const firstsQueue = (await (await app.request("/api/queue", { as: first })).json()) as QueueView;
    expect(firstsQueue.pending.map((view) => view.mine)).toEqual([true, false]);

    expect((await app.request(`/api/submissions/${waiting.uuid}`, { method: "DELETE", as: twin })).status).toBe(403);
    app.runner.last!.finish({ status: "failed", error: "NameError: name 'x' is not defined", stderr: "secret traceback" });
    await until(() => app.ctx.store.get(running1.uuid)?.status === "failed", "the first result");
    const twinsView = (await (await app.request(`/api/submissions/${running1.uuid}`, { as: twin })).json()) as SubmissionView;
    expect(twinsView.mine).toBe(false);
    expect(twinsView.result).toBeUndefined();
    const ownersView = (await (await app.request(`/api/submissions/${running1.uuid}`, { as: first })).json()) as SubmissionView;
    expect(ownersView).toMatchObject({ mine: true, result: { stderr: "secret traceback" } });

    // The twin's own program is its own to cancel.
    expect((await app.request(`/api/submissions/${twinUpload.uuid}`, { method: "DELETE", as: twin })).status).toBe(200);
  });

  it("gives a browser with a cookie from before owner ids its user id back but none of the old records", async () => {
    const app = await testAppliance();
    running.push(app);
    const old = new Visitor("Old cookie", "10.42.0.31");
    await app.request("/upload", { ...jsonUpload(seedExample), as: old });
    const { uuid } = (await (await app.request("/upload", { ...jsonUpload(seedExample), as: old })).json()) as { uuid: string };
    const record = app.ctx.store.get(uuid)!;
    // The seed's cookie: the user id alone, signed.
    const returning = new Visitor("Old cookie, new address", "10.42.0.99");
    returning.cookies.set(userIdCookieName, encodeURIComponent(await signCookie(record.user_id, app.ctx.secret)));
    const view = (await (await app.request(`/api/submissions/${uuid}`, { as: returning })).json()) as SubmissionView;
    expect(view.mine).toBe(false);
    const again = (await (await app.request("/upload", { ...jsonUpload(seedExample), as: returning })).json()) as { uuid: string };
    // The user id came from the cookie (not this address's fingerprint), the owner id is new.
    expect(app.ctx.store.get(again.uuid)!.user_id).toBe(record.user_id);
    expect(app.ctx.store.get(again.uuid)!.owner_id).toMatch(/^[0-9a-f]{32}$/);
    expect(app.ctx.store.get(again.uuid)!.owner_id).not.toBe(record.owner_id);
  });
});
