/**
 * One Unix-socket connection on Bun's native sockets, for the daemon client.
 * node:net would do, but its stream layer was about a fifth of the app's CPU
 * per frame shown (bench/frame-path.bench.ts): this keeps a plain queue of
 * unsent bytes instead, and tells the client three things: open, bytes
 * arrived, closed (exactly once, whether the connect failed, the peer left or
 * the client destroyed it).
 */
import type { Socket } from "bun";

export interface UnixConnectionEvents {
  open(): void;
  /** Bytes as they arrive (valid until this returns); lines are the caller's business. */
  data(bytes: Uint8Array): void;
  close(): void;
}

const encoder = new TextEncoder();

export class UnixConnection {
  #socket: Socket<undefined> | null = null;
  /** Bytes the kernel did not take yet, in order; sent on `drain`. */
  #unsent: Uint8Array[] = [];
  #unsentBytes = 0;
  #closed = false;

  private constructor(private readonly events: UnixConnectionEvents) {}

  /** Starts connecting; `events.close` reports a failure. */
  static open(path: string, events: UnixConnectionEvents): UnixConnection {
    const connection = new UnixConnection(events);
    Bun.connect<undefined>({
      unix: path,
      socket: {
        open: (socket) => {
          if (connection.#closed) {
            socket.terminate();
            return;
          }
          connection.#socket = socket;
          events.open();
        },
        data: (_socket, chunk) => {
          if (!connection.#closed) events.data(chunk);
        },
        drain: () => connection.#flush(),
        close: () => connection.#finish(),
        error: () => connection.#finish(),
        connectError: () => connection.#finish(),
      },
    }).catch(() => connection.#finish());
    return connection;
  }

  /** Bytes written but not yet taken by the kernel. */
  get bufferedBytes(): number {
    return this.#unsentBytes;
  }

  write(data: Uint8Array | string): void {
    if (this.#closed || this.#socket === null) return;
    const bytes = typeof data === "string" ? encoder.encode(data) : data;
    if (this.#unsentBytes > 0) {
      this.#queue(bytes);
      return;
    }
    const written = this.#socket.write(bytes);
    if (written < 0) {
      this.destroy();
      return;
    }
    if (written < bytes.length) this.#queue(bytes.subarray(written));
  }

  destroy(): void {
    this.#socket?.terminate();
    this.#finish();
  }

  #queue(bytes: Uint8Array): void {
    // A copy: the caller may reuse its buffer once write returns.
    this.#unsent.push(new Uint8Array(bytes));
    this.#unsentBytes += bytes.length;
  }

  #flush(): void {
    while (this.#unsent.length > 0 && this.#socket !== null && !this.#closed) {
      const next = this.#unsent[0]!;
      const written = this.#socket.write(next);
      if (written < 0) {
        this.destroy();
        return;
      }
      this.#unsentBytes -= Math.max(0, written);
      if (written < next.length) {
        this.#unsent[0] = next.subarray(written);
        return;
      }
      this.#unsent.shift();
    }
  }

  #finish(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#socket = null;
    this.#unsent = [];
    this.#unsentBytes = 0;
    // Asynchronously, as a socket's close event is: the caller may be in the middle of a write.
    queueMicrotask(() => this.events.close());
  }
}
