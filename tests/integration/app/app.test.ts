/**
 * The real thing: tree-app serve and tree-gpio (simulated strip) as processes,
 * the real checker and sandbox, real HTTP, SSE-free polling and a real
 * WebSocket for the live view.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DaemonClient } from "../../../appliance/src/daemon-client/client.ts";
import { StackBrowser, until } from "./stack-browser.ts";
import { startStack, type Stack } from "./stack.ts";

const holdBlue = `import time
led_count = getLEDCount()
states = [[0, 0, 255, 100] for _ in range(led_count)]  # Set all LEDs to blue
setLEDs(states)
time.sleep(2)
`;
const sleepy = (n: number) => `import time\nx = ${n}\ntime.sleep(30)\n`;

interface View {
  uuid: string;
  status: string;
  mine: boolean;
  position: number | null;
  result?: { status: string; frames: number };
}
interface Queue {
  tree: { online: boolean; ledCount: number };
  idleShow: boolean;
  running: View | null;
  pending: View[];
  recent: View[];
}

/** One browser (stack-browser.ts) with this file's typed queue view. */
class Browser extends StackBrowser {
  upload(code: string): Promise<Response> {
    return this.uploadResponse(code);
  }

  queue(): Promise<Queue> {
    return this.json<Queue>("/api/queue");
  }
}

let stack: Stack;
/** Browsers shared by the restart tests, which follow one program across two restarts. */
let restartVisitors: Browser[];

async function recordOnDisk(uuid: string): Promise<{ status: string; attempts: number } | undefined> {
  const [name] = [...new Bun.Glob(`*_${uuid}.json`).scanSync(join(stack.dataDir, "uploads"))];
  return name === undefined ? undefined : JSON.parse(readFileSync(join(stack.dataDir, "uploads", name), "utf8"));
}
beforeAll(async () => {
  stack = await startStack({ ledCount: 50, appArgs: ["--uploads-per-minute-per-ip", "6", "--max-pending-per-user", "2"] });
  restartVisitors = [0, 1, 2].map((i) => new Browser(stack, `Visitor ${i}`));
});
afterAll(async () => {
  await stack?.stop();
});

describe("tree-app with the real sandbox and daemon", () => {
  it("runs an upload: idle show yields, pending → running → completed, frames reach the daemon and the live view", async () => {
    const alice = new Browser(stack, "Alice's phone");
    const bob = new Browser(stack, "Bob's phone");
    expect((await alice.queue()).tree).toEqual({ online: true, ledCount: 50 });
    await until(async () => (await alice.queue()).idleShow, "the idle show");

    const frames: Uint8Array[] = [];
    const live = new WebSocket(`${stack.url.replace("http", "ws")}/api/live`);
    live.binaryType = "arraybuffer";
    live.onmessage = (event) => {
      if (event.data instanceof ArrayBuffer) frames.push(new Uint8Array(event.data));
    };
    await new Promise((resolve, reject) => {
      live.onopen = resolve;
      live.onerror = reject;
    });

    const accepted = await alice.upload(holdBlue);
    expect(accepted.status).toBe(201);
    const { uuid } = (await accepted.json()) as { uuid: string };

    const running = await until(async () => {
      const queue = await alice.queue();
      return queue.running?.uuid === uuid ? queue : undefined;
    }, "the upload to run");
    expect(running.running).toMatchObject({ status: "running", mine: true });
    expect(running.idleShow).toBe(false);
    expect((await bob.queue()).running).toMatchObject({ uuid, mine: false });

    const isBlue = (rgb: Uint8Array) => rgb.length === 150 && rgb.every((byte, i) => (i % 3 === 2 ? byte > 0 : byte === 0));
    await until(async () => frames.some(isBlue), "blue LEDs on the live view");

    // A second client of the daemon may read what the strip shows.
    const observer = new DaemonClient({ socketPath: stack.socketPath });
    expect(await observer.start()).toBe(true);
    const snapshot = await observer.snapshot();
    observer.stop();
    expect(snapshot!.frames).toBeGreaterThan(0);

    const done = await until(async () => (await alice.queue()).recent.find((view) => view.uuid === uuid), "the result");
    expect(done).toMatchObject({ status: "completed", mine: true, result: { status: "completed", frames: 1 } });
    const otherView = (await bob.queue()).recent.find((view) => view.uuid === uuid)!;
    expect(otherView.mine).toBe(false);
    expect(otherView.result).toBeUndefined();
    live.close();
  });

  it("streams the queue as server-sent events over the real server", async () => {
    const response = await new Browser(stack, "SSE viewer").fetch("/api/queue/events");
    expect(response.headers.get("content-type")).toMatch(/^text\/event-stream/);
    const reader = response.body!.getReader();
    let text = "";
    while (!/event: queue\ndata: .*\n\n/.test(text)) text += new TextDecoder().decode((await reader.read()).value);
    const view = JSON.parse(/event: queue\ndata: (.*)\n\n/.exec(text)![1]!) as Queue;
    expect(view.tree).toEqual({ online: true, ledCount: 50 });
    await reader.cancel();
  });

  it("refuses a program the checker rejects, naming the line", async () => {
    const response = await new Browser(stack, "Carol").upload("x = 1\nimport socket\n");
    expect(response.status).toBe(422);
    expect(await response.json()).toMatchObject({ code: "check_failed", line: 2 });
  });

  it("keeps every pending submission across a restart, in the same order", async () => {
    const visitors = restartVisitors;
    const uuids: string[] = [];
    for (const [i, visitor] of visitors.entries()) {
      const response = await visitor.upload(sleepy(i));
      expect(response.status).toBe(201);
      uuids.push(((await response.json()) as { uuid: string }).uuid);
    }
    await until(async () => (await visitors[0]!.queue()).running?.uuid === uuids[0], "the first to run");
    expect((await visitors[0]!.queue()).pending.map((view) => view.uuid)).toEqual(uuids.slice(1));

    expect(await stack.stopApp("SIGTERM")).toBe(0);
    await stack.startApp();
    expect(stack.appOutput()).toMatch(/3 re-queued/);
    const after = await until(async () => {
      const queue = await visitors[0]!.queue();
      return queue.running?.uuid === uuids[0] ? queue : undefined;
    }, "the interrupted program to run again");
    expect(after.pending.map((view) => view.uuid)).toEqual(uuids.slice(1));
    expect(after.pending.map((view) => view.position)).toEqual([1, 2]);
    // The same browser (same cookie) still owns its submission after the restart, and nobody else's.
    expect(after.running).toMatchObject({ uuid: uuids[0], mine: true });
    expect(after.pending[0]).toMatchObject({ mine: false });
    expect((await visitors[1]!.queue()).pending[0]).toMatchObject({ uuid: uuids[1], mine: true });

    // Clean up for the next test: each owner cancels its waiting program.
    for (const [i, visitor] of visitors.entries()) {
      if (i === 0) continue;
      expect((await visitor.fetch(`/api/submissions/${uuids[i]}`, { method: "DELETE" })).status).toBe(200);
    }
  });

  it("re-runs a program the app died under once, then marks it failed \"interrupted\"", async () => {
    // The same browser (cookie jar) that sent it: ownership follows the cookie, not the User-Agent.
    const visitor = restartVisitors[0]!;
    const victim = (await visitor.queue()).running!.uuid;
    expect(await stack.stopApp("SIGKILL")).not.toBe(0);
    await stack.startApp();
    // The crash counts once the second attempt is on disk (the record says so before the program starts).
    await until(async () => (await recordOnDisk(victim))?.attempts === 2, "the re-run after the first crash");
    await stack.stopApp("SIGKILL");
    await stack.startApp();
    expect(stack.appOutput()).toMatch(/1 marked interrupted/);
    const view = (await (await visitor.fetch(`/api/submissions/${victim}`)).json()) as View & { result: { error: string } };
    expect(view).toMatchObject({ status: "failed", mine: true, result: { error: expect.stringMatching(/interrupted/) } });
  });

  it("answers 429 past the per-address upload rate, with when to try again", async () => {
    const statuses: number[] = [];
    let last: Response | undefined;
    // The limiter is in memory: the restart above reset it, so up to 6 pass first.
    for (let i = 0; i < 8 && last?.status !== 429; i++) {
      last = await new Browser(stack, `Rate ${i}`).upload("x = 1\n");
      statuses.push(last.status);
    }
    expect(last!.status).toBe(429);
    expect(Number(last!.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(((await last!.json()) as { message: string }).message).toMatch(/try again in \d+ s/i);
  });

  it("keeps serving when the daemon goes away and says the tree is offline", async () => {
    await stack.stopDaemon();
    const visitor = new Browser(stack, "Offline visitor");
    const queue = await until(async () => {
      const view = await visitor.queue();
      return view.tree.online ? undefined : view;
    }, "the tree to be reported offline");
    expect(queue.tree).toEqual({ online: false, ledCount: 50 });
    expect(await (await visitor.fetch("/api/health")).json()).toMatchObject({ ok: true, tree: { online: false } });
  });
});
