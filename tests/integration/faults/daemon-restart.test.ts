/**
 * The LED daemon is SIGKILLed mid-program and started again: the app notices
 * (the tree shows offline), the program keeps running in its slot meanwhile,
 * the app reconnects to the new daemon on its own, the program's frames reach
 * the strip again, and the program ends at its slot limit as "completed", not
 * as a failure.
 */
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { connectWhenListening, type LineClient } from "../../arm64/socket-client.ts";
import { startStack, type Stack } from "../app/stack.ts";

const root = resolve(import.meta.dirname, "../../..");
const slotSeconds = 10;
const ledCount = 30;
const program = [
  "n = getLEDCount()",
  "step = 0",
  "while True:",
  "    setLEDs([[0, 0, 255, 100] if (i + step) % 2 else [255, 0, 0, 100] for i in range(n)])",
  "    step += 1",
  "",
].join("\n");

let stack: Stack;
let daemon: Bun.Subprocess | undefined;

async function startDaemon(): Promise<LineClient> {
  const child = Bun.spawn([process.execPath, join(root, "gpio-daemon/src/main.ts"), "--socket", stack.socketPath, "--led-count", String(ledCount), "--driver", "simulator", "--draw", "never"], {
    cwd: root,
    stdio: ["ignore", "ignore", "ignore"],
  });
  daemon = child;
  // A killed daemon leaves its socket file behind; the new one replaces it, so wait for a real answer.
  return connectWhenListening(stack.socketPath, 15_000, () => child.exitCode === null);
}

async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await Bun.sleep(50);
  }
}

const treeOnline = async () => ((await (await fetch(`${stack.url}/api/health`)).json()) as { tree: { online: boolean } }).tree.online;
/** The uploader's signed cookie: results are shown to the browser that owns the program. */
let ownerCookie = "";
const submission = async (uuid: string) =>
  (await (await fetch(`${stack.url}/api/submissions/${uuid}`, { headers: { cookie: ownerCookie } })).json()) as { status: string; result?: { status: string; error?: string; frames: number } };

/** Two snapshots of what the daemon shows, apart in time: lit and changing means frames arrive. */
async function animating(client: LineClient): Promise<boolean> {
  const first = (await client.request('{"type":"snapshot"}')).rgb as string;
  await Bun.sleep(150);
  const second = (await client.request('{"type":"snapshot"}')).rgb as string;
  const lit = Buffer.from(second, "base64").some((byte) => byte > 0);
  return lit && first !== second;
}

beforeAll(async () => {
  stack = await startStack({ daemon: false, appArgs: ["--idle-show", "false", "--slot-seconds", String(slotSeconds)] });
});
afterAll(async () => {
  daemon?.kill("SIGKILL");
  await stack?.stop();
});

describe("the LED daemon killed and restarted mid-program", () => {
  test("the app reconnects and the program keeps its slot", async () => {
    let client = await startDaemon();
    await until("the app to connect", async () => ((await treeOnline()) ? true : undefined));
    const uploaded = await fetch(`${stack.url}/upload`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ code: program }) });
    expect(uploaded.status).toBe(201);
    ownerCookie = uploaded.headers.getSetCookie().map((cookie) => cookie.split(";")[0]).join("; ");
    const { uuid } = (await uploaded.json()) as { uuid: string };
    await until("the program to light the strip", async () => ((await animating(client)) ? true : undefined));

    daemon!.kill("SIGKILL");
    await daemon!.exited;
    await client.close();
    await until("the app to see the tree offline", async () => ((await treeOnline()) ? undefined : true));
    expect((await submission(uuid)).status).toBe("running");

    client = await startDaemon();
    await until("the app to reconnect", async () => ((await treeOnline()) ? true : undefined));
    expect((await submission(uuid)).status).toBe("running");
    await until("the program's frames to reach the new daemon", async () => ((await animating(client)) ? true : undefined));
    await client.close();

    const finished = await until("the slot to end", async () => {
      const view = await submission(uuid);
      return view.status === "running" ? undefined : view;
    }, (slotSeconds + 15) * 1000);
    expect(finished).toMatchObject({ status: "completed", result: { status: "timeout", error: `stopped at the ${slotSeconds} s limit` } });
  }, 60_000);
});
