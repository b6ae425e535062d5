/**
 * The wall clock jumps (NTP's first sync on a Pi without a real-time clock, a
 * daylight-saving mistake, an operator's `date -s`) by an hour during a run.
 * Slots, ETAs and every "how long ago" in the app are measured on the
 * monotonic clock, so nothing a visitor sees moves; only the timestamps do.
 *
 * The app is driven with fake Date and performance clocks (vitest's fake
 * timers, timers themselves left real): `vi.advanceTimersByTime` moves both
 * clocks as time passing does, `vi.setSystemTime` moves the wall clock alone,
 * as a jump does. The slot itself is also checked against a real sandbox run.
 */
import { afterEach, describe, expect, test, vi } from "vitest";
import { runProgram } from "../../../appliance/src/sandbox/runner.ts";
import { jsonUpload, testAppliance, Visitor, type TestAppliance } from "../../../appliance/src/testing/test-appliance.ts";
import type { QueueView } from "../../../appliance/src/modules/queue/model.ts";
import { testPolicy } from "../sandbox/helpers.ts";

const hour = 3_600_000;
const slotSeconds = 45;

let appliance: TestAppliance | undefined;
afterEach(async () => {
  await appliance?.stop();
  appliance = undefined;
  vi.useRealTimers();
});

async function until(condition: () => boolean, what: string): Promise<void> {
  const deadline = performance.now() + 10_000;
  while (!condition()) {
    if (performance.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

async function queue(): Promise<QueueView> {
  return (await (await appliance!.request("/api/queue")).json()) as QueueView;
}

/** What a visitor reads of the running program and the waiting ones. */
async function waits(): Promise<{ remaining: number | null; etas: (number | null)[] }> {
  const view = await queue();
  return { remaining: view.running?.remainingSeconds ?? null, etas: view.pending.map((entry) => entry.etaSeconds) };
}

describe("a clock jump of an hour during a run", () => {
  test("leaves the running slot's remaining time and every ETA as they were", async () => {
    vi.useFakeTimers({ toFake: ["Date", "performance"], now: new Date("2026-12-24T18:00:00Z") });
    appliance = await testAppliance({ config: { slotSeconds } });
    for (const who of ["a", "b", "c"]) {
      const answer = await appliance.request("/upload", { ...jsonUpload("setLEDs([RED] * getLEDCount())\n"), as: new Visitor(who) });
      expect(answer.status).toBe(201);
    }
    await until(() => appliance!.runner.runs.length === 1, "the first program to start");
    vi.advanceTimersByTime(10_000);
    const before = await waits();
    expect(before).toEqual({ remaining: 35, etas: [35, 80] });

    const wallBefore = Date.now();
    vi.setSystemTime(wallBefore + hour);
    expect(await waits()).toEqual(before);
    expect(Date.parse((await queue()).now) - wallBefore).toBe(hour);

    vi.setSystemTime(wallBefore - hour);
    expect(await waits()).toEqual(before);

    // Time goes on by the monotonic clock only.
    vi.advanceTimersByTime(5_000);
    expect(await waits()).toEqual({ remaining: 30, etas: [30, 75] });
    // A new upload's answer agrees with the page.
    const late = await appliance.request("/upload", { ...jsonUpload("setLEDs([RED] * getLEDCount())\n"), as: new Visitor("d") });
    expect(await late.json()).toMatchObject({ position: 3, etaSeconds: 30 + 2 * slotSeconds });
  });

  test("does not lock a visitor out of uploading for an hour (the per-minute limit counts monotonic time)", async () => {
    vi.useFakeTimers({ toFake: ["Date", "performance"], now: new Date("2026-12-24T18:00:00Z") });
    appliance = await testAppliance({ config: { uploadsPerMinutePerIp: 2 } });
    const visitor = new Visitor("quick");
    for (let i = 0; i < 2; i++) expect((await appliance.request("/upload", { ...jsonUpload(`x = ${i}\n`), as: visitor })).status).toBe(201);
    const refused = await appliance.request("/upload", { ...jsonUpload("x = 2\n"), as: visitor });
    expect(refused.status).toBe(429);
    expect(((await refused.json()) as { retryAfterSeconds: number }).retryAfterSeconds).toBeLessThanOrEqual(60);

    vi.setSystemTime(Date.now() - hour);
    vi.advanceTimersByTime(61_000);
    expect((await appliance.request("/upload", { ...jsonUpload("x = 3\n"), as: visitor })).status).toBe(201);
  });

  test.each([hour, -hour])("a real sandbox run still stops at its limit when the clock jumps by %d ms", async (jump) => {
    vi.useFakeTimers({ toFake: ["Date"] });
    setTimeout(() => vi.setSystemTime(Date.now() + jump), 300);
    const result = await runProgram({ source: "while True:\n    pass\n", ledCount: 5, timeLimitMs: 1500, skipCheck: true, policy: testPolicy() });
    expect(result.status).toBe("timeout");
    expect(result.durationMs).toBeGreaterThanOrEqual(1500);
    expect(result.durationMs).toBeLessThan(10_000);
    expect(result.error).toBe("stopped at the 1.5 s limit");
  });
});
