import { describe, expect, it } from "vitest";
import type { QueueView } from "./model.ts";
import { maxUnreadQueueEvents, QueueEvents } from "./events.ts";

const view = (who: string | null) => ({ who }) as unknown as QueueView;

describe("QueueEvents", () => {
  it("renders once per identity and sends each listener its own view", async () => {
    let renders = 0;
    const events = new QueueEvents(() => (ownerId) => (renders++, view(ownerId)), 10);
    const alice = events.open("a".repeat(32), "10.0.0.1").getReader();
    const alsoAlice = events.open("a".repeat(32), "10.0.0.1").getReader();
    const bob = events.open("b".repeat(32), "10.0.0.2").getReader();
    renders = 0;
    events.broadcast();
    expect(renders).toBe(2);
    const text = async (reader: ReadableStreamDefaultReader<Uint8Array>) => {
      let all = "";
      for (let i = 0; i < 3; i++) all += new TextDecoder().decode((await reader.read()).value);
      return all;
    };
    expect(await text(alice)).toContain(`"who":"${"a".repeat(32)}"`);
    expect(await text(alsoAlice)).toContain(`"who":"${"a".repeat(32)}"`);
    expect(await text(bob)).toContain(`"who":"${"b".repeat(32)}"`);
    events.close();
    expect(events.size).toBe(0);
  });

  it("drops a listener that stops reading instead of buffering for it forever", () => {
    const events = new QueueEvents(() => () => view(null), 10);
    events.open(null, "10.0.0.3");
    expect(events.size).toBe(1);
    for (let i = 0; i < maxUnreadQueueEvents + 5; i++) events.broadcast();
    expect(events.size).toBe(0);
  });

  it("says when it is full", () => {
    const events = new QueueEvents(() => () => view(null), 2);
    events.open(null, "10.0.0.3");
    expect(events.full).toBe(false);
    events.open(null, "10.0.0.3");
    expect(events.full).toBe(true);
    events.close();
  });

  it("counts the streams of each address, and frees them however a stream ends", async () => {
    const events = new QueueEvents(() => () => view(null), 100);
    const first = events.open(null, "10.0.0.7").getReader();
    events.open(null, "10.0.0.7");
    events.open(null, "10.0.0.8");
    // Counted at once, before any read: a check right after open sees it.
    expect([events.openFrom("10.0.0.7"), events.openFrom("10.0.0.8"), events.openFrom("10.0.0.9")]).toEqual([2, 1, 0]);
    await first.cancel();
    expect(events.openFrom("10.0.0.7")).toBe(1);
    // A client that stops reading is dropped, and its slot freed with it.
    for (let i = 0; i < maxUnreadQueueEvents + 5; i++) events.broadcast();
    expect([events.openFrom("10.0.0.7"), events.openFrom("10.0.0.8"), events.size]).toEqual([0, 0, 0]);
    events.open(null, "10.0.0.8");
    events.close();
    expect(events.openFrom("10.0.0.8")).toBe(0);
  });
});
