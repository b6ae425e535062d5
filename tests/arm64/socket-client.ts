/** The daemon's test client, reached once an emulated daemon listens. */
import { existsSync } from "node:fs";
import { LineClient } from "../../gpio-daemon/src/testing/line-client.ts";

export type { LineClient };

/** Emulated CPUs are slow: a reply may take far longer than on the host. */
export const emulatedReplyMs = 20_000;

/**
 * Connects once the daemon listens. The socket file appears at bind(), a moment
 * before listen(), so a refused connection is retried until the deadline.
 */
export async function connectWhenListening(path: string, timeoutMs: number, alive: () => boolean): Promise<LineClient> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (!alive()) throw new Error(`the daemon exited before listening on ${path}`);
    if (existsSync(path)) {
      try {
        return await LineClient.open(path);
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        if (code !== "ECONNREFUSED" && code !== "ENOENT") throw error;
      }
    }
    if (Date.now() > deadline) throw new Error(`nothing listening on ${path} after ${timeoutMs} ms`);
    await Bun.sleep(50);
  }
}
