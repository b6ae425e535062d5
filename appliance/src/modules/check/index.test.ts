import { Value } from "@sinclair/typebox/value";
import { describe, expect, it } from "vitest";
import type { CheckProgram } from "../../context.ts";
import { jsonUpload, seedExample, testAppliance, Visitor, stopAfterEach } from "../../testing/test-appliance.ts";
import { checksPerMinutePerIp, maxChecksWaiting } from "./index.ts";
import { CheckResultSchema } from "./model.ts";

const running = stopAfterEach();

async function start(options: Parameters<typeof testAppliance>[0] = {}) {
  const appliance = await testAppliance(options);
  running.push(appliance);
  return appliance;
}

const check = (code: string, ip = "10.42.0.50") => ({ ...jsonUpload(code), ip });

async function result(response: Response) {
  const body: unknown = await response.json();
  expect(Value.Check(CheckResultSchema, body), JSON.stringify(body)).toBe(true);
  return body as Record<string, unknown>;
}

describe("POST /api/check", () => {
  it("accepts the seed's example with the same fields a refusal has, and stores nothing", async () => {
    const app = await start();
    const response = await app.request("/api/check", check(seedExample));
    expect(response.status).toBe(200);
    expect(await result(response)).toEqual({ ok: true, error: null, line: null, column: null, problems: [] });
    expect(app.ctx.store.all()).toEqual([]);
    expect(app.runner.runs).toEqual([]);
  });

  it("lists every problem with its line, the first as error/line/column", async () => {
    const app = await start();
    const response = await app.request("/api/check", check("import os\nx = 1\nprint(eval('1'))\nreturn x\n"));
    expect(response.status).toBe(200);
    const body = await result(response);
    expect(body).toMatchObject({ ok: false, line: 1, column: 1, error: expect.stringMatching(/^line 1: "import os"/) });
    expect((body.problems as { line: number }[]).map(({ line }) => line)).toEqual([1, 3, 4]);
  });

  it("refuses what is not a JSON {code} body with a sentence", async () => {
    const app = await start();
    const asText = await app.request("/api/check", { method: "POST", headers: { "content-type": "text/plain" }, body: "x = 1" });
    expect(asText.status).toBe(415);
    expect(await asText.json()).toMatchObject({ code: "unsupported_media_type", message: expect.stringContaining('{"code"') });
    const extra = await app.request("/api/check", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ code: "x = 1", run: true }) });
    expect(extra.status).toBe(400);
    expect(await extra.json()).toMatchObject({ code: "validation" });
    const notJson = await app.request("/api/check", { method: "POST", headers: { "content-type": "application/json" }, body: "{code" });
    expect(notJson.status).toBe(400);
    const huge = await app.request("/api/check", check(`x = 1\n${"#".repeat(70 * 1024)}\n`));
    expect(huge.status).toBe(413);
  });

  it(`allows ${checksPerMinutePerIp} checks a minute from one address, then 429 with a sentence and Retry-After; other addresses and uploads are not affected`, async () => {
    const fastCheck: CheckProgram = async () => ({ ok: true });
    const app = await start({ checkProgram: fastCheck });
    expect(checksPerMinutePerIp).toBeGreaterThanOrEqual(60);
    for (let i = 0; i < checksPerMinutePerIp; i++) {
      const response = await app.request("/api/check", check(`x = ${i}\n`));
      expect(response.status, `check ${i + 1}`).toBe(200);
    }
    const refused = await app.request("/api/check", check("x = 1\n"));
    expect(refused.status).toBe(429);
    const error = (await refused.json()) as { code: string; message: string; retryAfterSeconds: number };
    expect(error).toMatchObject({ code: "rate_limited", message: expect.stringMatching(/checks.*per minute.*try again in \d+ s/i) });
    expect(Number(refused.headers.get("retry-after"))).toBe(error.retryAfterSeconds);
    expect(error.retryAfterSeconds).toBeGreaterThan(0);
    expect((await app.request("/api/check", check("x = 1\n", "10.42.0.51"))).status).toBe(200);
    expect((await app.request("/upload", check("x = 1\n"))).status).toBe(201);
  });

  it("answers 503 with when to retry once too many checks wait tree-wide", async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let started = 0;
    const slowCheck: CheckProgram = async () => {
      started += 1;
      await gate;
      return { ok: true };
    };
    const app = await start({ checkProgram: slowCheck });
    const waiting = Array.from({ length: maxChecksWaiting }, (_, index) => app.request("/api/check", check("x = 1\n", `10.42.1.${index}`)));
    // Every one of them holds its place (it reached the checker) before the next arrives.
    for (const deadline = Date.now() + 10_000; started < maxChecksWaiting && Date.now() < deadline; ) await Bun.sleep(5);
    expect(started).toBe(maxChecksWaiting);
    const busy = await app.request("/api/check", check("x = 1\n", "10.42.2.1"));
    expect(busy.status).toBe(503);
    expect(busy.headers.get("retry-after")).toBe("1");
    expect(await busy.json()).toMatchObject({ code: "checker_busy" });
    release();
    expect((await Promise.all(waiting)).map((response) => response.status)).toEqual(Array(maxChecksWaiting).fill(200));
  });
});

describe("an upload refused by the check does not spend the upload budget", () => {
  it("counts accepted submissions only", async () => {
    const app = await start({ config: { uploadsPerMinutePerIp: 2, maxPendingPerUser: 10, maxPendingPerIp: 10 } });
    const student = new Visitor("Student's phone", "10.42.0.60");
    for (let i = 0; i < 7; i++) {
      const refused = await app.request("/upload", { ...jsonUpload(`x = 1\nprint(eval('${i}'))\n`), as: student });
      expect(refused.status, `attempt ${i + 1}`).toBe(422);
    }
    const tooLarge = await app.request("/upload", { ...jsonUpload(`x = 1\n${"#".repeat(70 * 1024)}\n`), as: student });
    expect(tooLarge.status).toBe(413);
    expect((await app.request("/upload", { ...jsonUpload("x = 1\n"), as: student })).status).toBe(201);
    expect((await app.request("/upload", { ...jsonUpload("x = 2\n"), as: student })).status).toBe(201);
    const third = await app.request("/upload", { ...jsonUpload("x = 3\n"), as: student });
    expect(third.status).toBe(429);
    expect(await third.json()).toMatchObject({ code: "rate_limited" });
  });

  it("says how many more problems the program has", async () => {
    const app = await start();
    const refused = await app.request("/upload", jsonUpload("import os\nimport sys\nprint(eval('1'))\n"));
    expect(refused.status).toBe(422);
    expect(await refused.json()).toMatchObject({ code: "check_failed", line: 1, message: expect.stringContaining("(and 2 more problems in this program") });
  });
});
