import { describe, expect, it } from "vitest";
import type { SnapshotReply } from "../../../../protocol/messages.ts";
import { LiveBroadcaster, liveKeepAliveMs, rgbFromFrame } from "./broadcaster.ts";

function setup(online: boolean, snapshots: Uint8Array[] = []) {
  let now = 0;
  const published: Uint8Array[] = [];
  const daemon = {
    online,
    async snapshot(): Promise<SnapshotReply | null> {
      const rgb = snapshots.shift();
      return rgb === undefined ? null : { ok: true, rgb: Buffer.from(rgb).toString("base64"), milliamps: 0, requestedMilliamps: 0, limited: false, scale: 1, frames: 1 };
    },
  };
  const live = new LiveBroadcaster({ fps: 20, daemon, ledCount: () => 2, publish: (rgb) => published.push(rgb), now: () => now });
  return { live, published, advance: (ms: number) => (now += ms) };
}

describe("LiveBroadcaster", () => {
  it("scales each LED by its level when drawing the runner's frame", () => {
    expect([...rgbFromFrame(new Uint8Array([200, 100, 50, 50, 255, 255, 255, 0]))]).toEqual([100, 50, 25, 0, 0, 0]);
  });

  it("publishes the daemon's snapshot, once per change, plus a keep-alive", async () => {
    const red = new Uint8Array([255, 0, 0, 255, 0, 0]);
    const { live, published, advance } = setup(true, [red, red, red, new Uint8Array(6)]);
    await live.sample();
    await live.sample();
    expect(published).toEqual([red]);
    advance(liveKeepAliveMs);
    await live.sample();
    expect(published).toEqual([red, red]);
    await live.sample();
    expect(published.at(-1)).toEqual(new Uint8Array(6));
  });

  it("falls back to the runner's frames while the daemon is offline, and to dark after off", async () => {
    const { live, published } = setup(false);
    live.noteFrame(new Uint8Array([0, 0, 255, 100, 0, 255, 0, 100]));
    await live.sample();
    expect([...published.at(-1)!]).toEqual([0, 0, 255, 0, 255, 0]);
    live.noteOff();
    await live.sample();
    expect([...published.at(-1)!]).toEqual([0, 0, 0, 0, 0, 0]);
  });

  it("samples only while someone watches", () => {
    const { live } = setup(true);
    live.viewerJoined();
    live.viewerJoined();
    live.viewerLeft();
    expect(live.viewerCount).toBe(1);
    live.viewerLeft();
    live.viewerLeft();
    expect(live.viewerCount).toBe(0);
    live.stop();
  });
});
