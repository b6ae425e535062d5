/**
 * The app is SIGKILLed 20 times while uploads keep arriving: every upload that
 * was answered 201 is there after each restart (through the API and as a valid
 * record on disk), and no record is ever torn (nothing moved aside as corrupt).
 * A submission counts as accepted once its record is durable, before the 201.
 */
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { startStack, type Stack } from "../app/stack.ts";

const kills = 20;
const uploadersAtOnce = 4;
// Every client is on 127.0.0.1: the per-address and per-visitor caps would refuse most of a crowd.
const appArgs = ["--idle-show", "false", "--uploads-per-minute-per-ip", "10000", "--max-pending-per-ip", "10000", "--max-pending-per-user", "100", "--max-pending-total", "10000"];

let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ appArgs });
});
afterAll(async () => {
  await stack?.stop();
});

/** Uploads in a loop until `stop` is set; collects the ids answered 201. */
async function uploader(who: number, accepted: string[], stop: { now: boolean }): Promise<void> {
  for (let round = 0; !stop.now; round++) {
    try {
      const response = await fetch(`${stack.url}/upload`, {
        method: "POST",
        headers: { "content-type": "application/json", "user-agent": `kill-test ${who}` },
        body: JSON.stringify({ code: `# ${who}/${round}\nsetLEDs([BLUE] * getLEDCount())\n` }),
        signal: AbortSignal.timeout(5000),
      });
      const body = await response.text();
      if (response.status === 201) accepted.push((JSON.parse(body) as { uuid: string }).uuid);
    } catch {
      // The app died under this request: it was not answered, so it was not accepted.
      await Bun.sleep(20);
    }
  }
}

describe("the app killed with SIGKILL while uploads arrive", () => {
  test(`keeps every 201-answered submission, ${kills} times over`, async () => {
    const accepted: string[] = [];
    for (let kill = 0; kill < kills; kill++) {
      const stop = { now: false };
      const acceptedBefore = accepted.length;
      const uploaders = Array.from({ length: uploadersAtOnce }, (_, who) => uploader(who, accepted, stop));
      // Uploads flow once one of this round is answered; then the kill falls at a random instant
      // among the others (a check and four fsyncs each take several milliseconds).
      const deadline = Date.now() + 30_000;
      while (accepted.length === acceptedBefore && Date.now() < deadline) await Bun.sleep(5);
      expect(accepted.length, `uploads before kill ${kill + 1}`).toBeGreaterThan(acceptedBefore);
      await Bun.sleep(Math.random() * 300);
      await stack.stopApp("SIGKILL");
      stop.now = true;
      await Promise.all(uploaders);
      await stack.startApp(appArgs);

      const files = readdirSync(join(stack.dataDir, "uploads"));
      // (A *.tmp may be the new instance's write in progress: the restart itself sweeps old ones.)
      expect(files.filter((name) => name.endsWith(".corrupt"))).toEqual([]);
      const records = new Set(files.filter((name) => name.endsWith(".json")).map((name) => name.slice(33, -5)));
      const missing = accepted.filter((uuid) => !records.has(uuid));
      expect(missing, `after kill ${kill + 1}`).toEqual([]);
      for (const uuid of accepted) {
        const response = await fetch(`${stack.url}/api/submissions/${uuid}`);
        expect(response.status, `${uuid} after kill ${kill + 1}`).toBe(200);
        await response.arrayBuffer();
      }
    }
  }, 300_000);
});
