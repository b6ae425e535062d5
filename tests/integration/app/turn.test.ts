/**
 * A visitor's turn on the real stack (tree-app serve, the real checker and
 * sandbox, tree-gpio on the simulated strip with its state file): the docs'
 * first program stays visibly blue on the strip after it ended, the queue says
 * whose last frame it is, and a twin browser (same address, same User-Agent,
 * its own cookies) owns nothing of the first one's.
 */
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { StackBrowser, until } from "./stack-browser.ts";
import { readStripState, startStack, type Stack } from "./stack.ts";

const ledCount = 30;
/** The docs' first example, read from the docs themselves so the two cannot drift apart. */
const docsFirstExample = /```python\n([\s\S]*?)```/.exec(readFileSync(resolve(import.meta.dirname, "../../../appliance/runner/README.md"), "utf8"))![1]!;

interface View {
  uuid: string;
  status: string;
  mine: boolean;
  reason: { code: string; text: string } | null;
  result?: unknown;
}
interface Queue {
  running: View | null;
  pending: View[];
  recent: View[];
  idleShow: boolean;
  lastFrame: { uuid: string; mine: boolean; remainingSeconds: number } | null;
}

/** One browser (stack-browser.ts) with this file's typed views. */
class Client extends StackBrowser {
  async upload(code: string): Promise<string> {
    const response = await this.uploadResponse(code);
    expect(response.status).toBe(201);
    return ((await response.json()) as { uuid: string }).uuid;
  }

  queue(): Promise<Queue> {
    return this.json<Queue>("/api/queue");
  }

  submission(uuid: string): Promise<View> {
    return this.json<View>(`/api/submissions/${uuid}`);
  }
}

const allBlue = (rgb: Uint8Array) => rgb.length === ledCount * 3 && rgb.every((byte, i) => (i % 3 === 2 ? byte > 0 : byte === 0));

let stack: Stack;
beforeAll(async () => {
  // The shipped defaults: minShowSeconds 15, idleAfterSeconds 60, the idle show on.
  stack = await startStack({ ledCount, stripStateFile: true, appArgs: ["--uploads-per-minute-per-ip", "20"] });
});
afterAll(async () => {
  await stack?.stop();
});

describe("a visitor's turn on the real stack", () => {
  it("keeps the docs' first example blue on the strip for at least 10 s after it completed", async () => {
    expect(docsFirstExample).toContain("setLEDs(states)");
    const visitor = new Client(stack, "Phone A");
    await until(async () => (await visitor.queue()).idleShow, "the idle show");
    const uuid = await visitor.upload(docsFirstExample);
    const done = await until(async () => {
      const view = await visitor.submission(uuid);
      return view.status === "completed" ? view : undefined;
    }, "the example to complete");
    const completedAt = Date.now();
    expect(done.reason).toMatchObject({ code: "ran_to_end", text: "Ran to the end." });

    const queue = await visitor.queue();
    expect(queue.lastFrame).toMatchObject({ uuid, mine: true });
    expect(queue.idleShow).toBe(false);

    // The state file trails the strip by up to its write interval (100 ms).
    await until(async () => allBlue(readStripState(stack.stateFile!).rgb), "the state file to show blue", 2_000);
    // Sampled through the hold: blue every time, never the idle show nor a dark strip.
    const framesAtEnd = readStripState(stack.stateFile!).frames;
    while (Date.now() - completedAt < 10_500) {
      const state = readStripState(stack.stateFile!);
      expect(state.lit).toBe(ledCount);
      expect(allBlue(state.rgb)).toBe(true);
      await Bun.sleep(500);
    }
    const after = readStripState(stack.stateFile!);
    expect(allBlue(after.rgb)).toBe(true);
    // Nothing else was drawn meanwhile: the program's one frame is what the strip still shows.
    expect(after.frames).toBe(framesAtEnd);
    expect((await visitor.queue()).lastFrame).toMatchObject({ uuid, mine: true });
  }, 40_000);

  it("gives a twin browser (same address and User-Agent, its own cookies) none of the first one's programs", async () => {
    const first = new Client(stack, "Same phone model");
    const twin = new Client(stack, "Same phone model");
    const sleeper = `import time\nsetLEDs([GREEN] * getLEDCount())\ntime.sleep(30)\n`;
    const firstUuid = await first.upload(sleeper);
    const waitingUuid = await first.upload(sleeper);
    const twinUuid = await twin.upload(sleeper);

    const firstsQueue = await first.queue();
    const twinsQueue = await twin.queue();
    const mineOf = (queue: Queue) =>
      Object.fromEntries([...(queue.running === null ? [] : [queue.running]), ...queue.pending].map((view) => [view.uuid, view.mine]));
    expect(mineOf(firstsQueue)).toMatchObject({ [firstUuid]: true, [waitingUuid]: true, [twinUuid]: false });
    expect(mineOf(twinsQueue)).toMatchObject({ [firstUuid]: false, [waitingUuid]: false, [twinUuid]: true });

    expect((await twin.fetch(`/api/submissions/${waitingUuid}`, { method: "DELETE" })).status).toBe(403);
    expect((await first.fetch(`/api/submissions/${twinUuid}`, { method: "DELETE" })).status).toBe(403);
    expect((await twin.fetch(`/api/submissions/${twinUuid}`, { method: "DELETE" })).status).toBe(200);
    expect((await first.fetch(`/api/submissions/${waitingUuid}`, { method: "DELETE" })).status).toBe(200);

    // The files still carry the shared fingerprint.
    const names = [...new Bun.Glob("*.json").scanSync(resolve(stack.dataDir, "uploads"))];
    const prefixOf = (uuid: string) => names.find((name) => name.includes(uuid))!.split("_")[0];
    expect(prefixOf(twinUuid)).toBe(prefixOf(waitingUuid));

    const cancelled = await twin.submission(twinUuid);
    expect(cancelled).toMatchObject({ status: "cancelled", mine: true, reason: { code: "cancelled", text: "Cancelled by you." } });
    expect((await first.submission(twinUuid)).reason).toMatchObject({ text: "Cancelled by its owner." });
  });
});
