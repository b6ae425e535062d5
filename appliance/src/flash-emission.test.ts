/**
 * The flash limit judges the light the strip emits, so every run is told how
 * the daemon turns frames into light: its brightness cap and power budget when
 * it is online, full drive (the worst case) when it is not.
 */
import { afterEach, describe, expect, it } from "vitest";
import { startTestDaemon, type TestDaemon } from "../../gpio-daemon/src/testing/test-daemon.ts";
import { jsonUpload, seedExample, testAppliance, type TestAppliance } from "./testing/test-appliance.ts";

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function firstRun(app: TestAppliance) {
  expect((await app.request("/upload", jsonUpload(seedExample))).status).toBe(201);
  const start = Date.now();
  while (app.runner.last === undefined) {
    if (Date.now() - start > 5000) throw new Error("timed out waiting for the run");
    await Bun.sleep(5);
  }
  return app.runner.last.options;
}

describe("runs get the daemon's emission settings for the flash limit", () => {
  it("passes the daemon's brightness cap and power budget", async () => {
    const daemon: TestDaemon = await startTestDaemon({ ledCount: 30, brightnessCapPercent: 30, psuAmps: 0.5 });
    cleanups.push(() => daemon.stop());
    const app = await testAppliance({ config: { gpioSocket: daemon.path } });
    cleanups.push(() => app.stop());
    expect(app.daemon.online).toBe(true);
    expect((await firstRun(app)).emission).toEqual({ brightnessCapPercent: 30, maxChannelSum: daemon.strip.plan.maxChannelSum });
  });

  it("assumes full drive and no limiter while the daemon is offline", async () => {
    const app = await testAppliance();
    cleanups.push(() => app.stop());
    expect((await firstRun(app)).emission).toEqual({ brightnessCapPercent: 100, maxChannelSum: undefined });
  });
});
