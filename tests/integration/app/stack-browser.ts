/**
 * One browser against the real stack, for integration tests: its own cookie
 * jar (ownership follows the signed cookie) and a User-Agent it chooses, so
 * two instances with one User-Agent are the twin browsers of issue 9.
 */
import type { Stack } from "./stack.ts";

export class StackBrowser {
  cookie = "";
  constructor(
    private readonly stack: Stack,
    readonly userAgent: string,
  ) {}

  async fetch(path: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    headers.set("user-agent", this.userAgent);
    if (this.cookie !== "") headers.set("cookie", this.cookie);
    const response = await fetch(`${this.stack.url}${path}`, { ...init, headers });
    const set = response.headers.getSetCookie().find((line) => line.startsWith("user_id="));
    if (set !== undefined) this.cookie = set.split(";")[0]!;
    return response;
  }

  uploadResponse(code: string): Promise<Response> {
    return this.fetch("/upload", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ code }) });
  }

  async json<T>(path: string): Promise<T> {
    return (await (await this.fetch(path)).json()) as T;
  }
}

/** Polls `probe` until it gives a value (not undefined or false). */
export async function until<T>(probe: () => Promise<T | undefined | false>, what: string, limitMs = 20_000): Promise<T> {
  const deadline = Date.now() + limitMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await Bun.sleep(50);
  }
}
