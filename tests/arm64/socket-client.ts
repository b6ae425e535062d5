/** One request line, one reply line, over the daemon's Unix socket. */
import { createConnection, type Socket } from "node:net";
import { existsSync } from "node:fs";

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
        return await LineClient.connect(path);
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        if (code !== "ECONNREFUSED" && code !== "ENOENT") throw error;
      }
    }
    if (Date.now() > deadline) throw new Error(`nothing listening on ${path} after ${timeoutMs} ms`);
    await Bun.sleep(50);
  }
}

export class LineClient {
  #buffer = "";
  #waiting: Array<(line: string) => void> = [];
  private constructor(private readonly socket: Socket) {
    socket.setEncoding("utf8");
    socket.on("data", (chunk: string) => {
      this.#buffer += chunk;
      let newline: number;
      while ((newline = this.#buffer.indexOf("\n")) >= 0) {
        const line = this.#buffer.slice(0, newline);
        this.#buffer = this.#buffer.slice(newline + 1);
        this.#waiting.shift()?.(line);
      }
    });
  }

  static connect(path: string): Promise<LineClient> {
    return new Promise((resolve, reject) => {
      const socket = createConnection({ path }, () => resolve(new LineClient(socket)));
      socket.once("error", reject);
    });
  }

  request(line: string, timeoutMs = 20_000): Promise<unknown> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no reply to ${line.slice(0, 60)} within ${timeoutMs} ms`)), timeoutMs);
      this.#waiting.push((reply) => {
        clearTimeout(timer);
        try {
          resolve(JSON.parse(reply));
        } catch {
          reject(new Error(`reply is not JSON: ${reply.slice(0, 200)}`));
        }
      });
      this.socket.write(`${line}\n`);
    });
  }

  close(): void {
    this.socket.end();
  }
}
