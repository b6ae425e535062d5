import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { createHandOver } from "./hand-over.ts";

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

describe("handing a held last frame over to the next program", () => {
  function handOver() {
    let frames = 0;
    let darkened = 0;
    const give = createHandOver({ framesSent: () => frames, darken: async () => void (darkened += 1), patienceMs: 1_000 });
    return { give, frame: () => (frames += 1), darkened: () => darkened };
  }

  it("leaves the tree alone once the next program draws within the patience", async () => {
    const tree = handOver();
    tree.give();
    await vi.advanceTimersByTimeAsync(300);
    tree.frame();
    await vi.advanceTimersByTimeAsync(2_000);
    expect(tree.darkened()).toBe(0);
  });

  it("darkens the tree when the next program has drawn nothing by then", async () => {
    const tree = handOver();
    tree.give();
    await vi.advanceTimersByTimeAsync(999);
    expect(tree.darkened()).toBe(0);
    await vi.advanceTimersByTimeAsync(1);
    expect(tree.darkened()).toBe(1);
  });
});
