import { describe, expect, it } from "vitest";
import { notOnAppliance, type HostStatusView } from "../host-status/reader.ts";
import type { HostPhase } from "../host-status/schema.ts";
import { createStatusShow } from "./status-show.ts";

/** A host status whose phase the test sets. */
function fakeHost(initial: HostPhase | null | undefined) {
  const listeners = new Set<(view: HostStatusView) => void>();
  const host = {
    phase: initial,
    subscribe(listener: (view: HostStatusView) => void) {
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
      };
    },
    set(phase: HostPhase | null) {
      host.phase = phase;
      for (const listener of [...listeners]) listener(notOnAppliance); // the show reads the phase, not the view
    },
  };
  return host;
}

async function until(what: string, condition: () => boolean): Promise<void> {
  const deadline = Date.now() + 20_000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await Bun.sleep(10);
  }
}

function harness(initial: HostPhase | null | undefined) {
  const host = fakeHost(initial);
  const frames: number[][] = [];
  const idle = { starts: 0, running: false, aborts: 0 };
  const show = createStatusShow({
    hostStatus: host,
    ledCount: () => 20,
    onFrame: (frame) => frames.push([...frame.subarray(0, 4)]),
    darken: async () => {},
    runIdle: (signal) => {
      idle.starts++;
      idle.running = true;
      return new Promise((resolve) =>
        signal.addEventListener("abort", () => {
          idle.running = false;
          idle.aborts++;
          resolve();
        }),
      );
    },
  });
  const abort = new AbortController();
  const done = show(abort.signal);
  const lastColour = () => frames.at(-1)?.slice(0, 3);
  return { host, frames, idle, abort, done, lastColour };
}

describe("createStatusShow", () => {
  it("shows the host's phase, sweeps green when it turns ready, runs the idle show, and gives it up when the host falls back", async () => {
    const { host, idle, abort, done, lastColour, frames } = harness("booting");
    await until("amber", () => lastColour()?.join() === "255,140,0");
    expect(idle.starts).toBe(0);

    host.set("waiting-for-network");
    await until("blue", () => lastColour()?.join() === "0,70,255");

    host.set("ready");
    await until("the idle show", () => idle.running);
    // The green sweep came between the blue pulse and the idle show.
    expect(frames.some(([r, g, b]) => r === 0 && g === 255 && b === 40)).toBe(true);

    host.set("hotspot-fallback");
    await until("purple", () => lastColour()?.join() === "200,0,255");
    expect(idle.aborts).toBe(1);

    abort.abort();
    await done;
  });

  it("treats an expected but unreadable host status as booting", async () => {
    const { abort, done, lastColour } = harness(null);
    await until("amber", () => lastColour()?.join() === "255,140,0");
    abort.abort();
    await done;
  });

  it("off an appliance is just the idle show: no sweep, no status frames", async () => {
    const { idle, abort, done, frames } = harness(undefined);
    await until("the idle show", () => idle.running);
    expect(frames).toEqual([]);
    abort.abort();
    await done;
  });

  it("stops at once when a visitor's program takes over", async () => {
    const { abort, done, frames } = harness("led-fault");
    await until("a frame", () => frames.length > 0);
    abort.abort();
    await done;
    const count = frames.length;
    await Bun.sleep(200);
    expect(frames.length).toBe(count);
  });
});
