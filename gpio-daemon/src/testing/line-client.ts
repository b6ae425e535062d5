/**
 * A plain NDJSON client over node:net for tests and the benchmark: write raw
 * bytes, read reply lines. Deliberately not built on the server's Bun.listen code.
 */
import { connect, type Socket } from "node:net";

export class LineClient {
  private buffered = "";
  private lines: string[] = [];
  private waiters: (() => void)[] = [];
  ended = false;

  private constructor(readonly socket: Socket) {
    socket.setEncoding("utf8");
    socket.on("data", (text: string) => {
      this.buffered += text;
      let at: number;
      while ((at = this.buffered.indexOf("\n")) >= 0) {
        this.lines.push(this.buffered.slice(0, at));
        this.buffered = this.buffered.slice(at + 1);
      }
      this.wake();
    });
    socket.on("close", () => {
      this.ended = true;
      this.wake();
    });
    socket.on("error", () => {});
  }

  static open(path: string): Promise<LineClient> {
    return new Promise((resolve, reject) => {
      const socket = connect(path);
      socket.once("connect", () => resolve(new LineClient(socket)));
      socket.once("error", reject);
    });
  }

  private wake() {
    for (const waiter of this.waiters.splice(0)) waiter();
  }

  write(data: string | Uint8Array): Promise<void> {
    return new Promise((resolve) => {
      if (this.socket.write(data)) resolve();
      else this.socket.once("drain", () => resolve());
    });
  }

  /** Reads `count` reply lines; rejects when the connection ends first or nothing arrives for `idleMs`. */
  async read(count: number, idleMs = 5000): Promise<string[]> {
    while (this.lines.length < count) {
      if (this.ended) throw new Error(`connection closed after ${this.lines.length} of ${count} replies`);
      const before = this.lines.length;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, idleMs);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
      if (this.lines.length === before && !this.ended) throw new Error(`no reply for ${idleMs} ms (${before} of ${count} replies)`);
    }
    return this.lines.splice(0, count);
  }

  /** Sends one line and returns its parsed reply (`idleMs`: longer under emulation). */
  async request(line: string, idleMs?: number): Promise<Record<string, unknown>> {
    await this.write(`${line}\n`);
    const [reply] = await this.read(1, idleMs);
    return JSON.parse(reply!) as Record<string, unknown>;
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      if (this.ended) return resolve();
      this.socket.once("close", () => resolve());
      this.socket.end();
    });
  }
}
