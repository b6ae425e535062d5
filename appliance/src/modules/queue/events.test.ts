import { describe, expect, it } from "vitest";
import type { QueueView } from "./model.ts";
import { maxUnreadQueueEvents, QueueEvents } from "./events.ts";

const view = (who: string | null) => ({ who }) as unknown as QueueView;

describe("QueueEvents", () => {
  it("renders once per identity and sends each listener its own view", async () => {
    let renders = 0;
    const events = new QueueEvents(() => (userId) => (renders++, view(userId)), 10);
    const alice = events.open("a".repeat(32)).getReader();
    const alsoAlice = events.open("a".repeat(32)).getReader();
    const bob = events.open("b".repeat(32)).getReader();
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
    events.open(null);
    expect(events.size).toBe(1);
    for (let i = 0; i < maxUnreadQueueEvents + 5; i++) events.broadcast();
    expect(events.size).toBe(0);
  });

  it("says when it is full", () => {
    const events = new QueueEvents(() => () => view(null), 2);
    events.open(null);
    expect(events.full).toBe(false);
    events.open(null);
    expect(events.full).toBe(true);
    events.close();
  });
});
