/**
 * The app's one connection to tree-gpio: NDJSON over a Unix socket, as in
 * protocol/. The daemon answers every line exactly once and in order, so replies
 * are matched to requests by position in a FIFO. The client never blocks the
 * sandbox runner: a frame is written only when few frames are still unanswered
 * and the socket's buffer is small; otherwise it is dropped and counted, because
 * an old frame is worth nothing by the time a slow daemon could show it. When the
 * socket closes the client reconnects with exponential backoff and asks `info`
 * again (the LED count comes from the daemon, the one source of truth).
 */
import { Value } from "@sinclair/typebox/value";
import { type PackedFrame } from "../../../protocol/frame.ts";
import { encodeFrameLine } from "../../../protocol/frame-bytes.ts";
import { UnixConnection } from "./unix-connection.ts";
import { InfoReplySchema, okReply, SnapshotReplySchema, type Command, type InfoReply, type SnapshotReply } from "../../../protocol/messages.ts";

const newlineByte = 0x0a;
const okReplyBytes = new TextEncoder().encode(okReply);
const replyText = new TextDecoder();

function isOkReply(bytes: Uint8Array, start: number, end: number): boolean {
  if (end - start !== okReplyBytes.length) return false;
  for (let i = 0; i < okReplyBytes.length; i++) if (bytes[start + i] !== okReplyBytes[i]) return false;
  return true;
}

export const daemonLimits = {
  /** Unanswered frames allowed in flight before new ones are dropped. */
  maxInflightFrames: 4,
  /** Bytes buffered in the socket before new frames are dropped. */
  maxBufferedBytes: 256 * 1024,
  /** A command without a reply for this long means the daemon is wedged: the connection is dropped. */
  replyTimeoutMs: 3000,
  reconnectMinMs: 100,
  reconnectMaxMs: 5000,
  /** Longest reply line accepted from the daemon. */
  maxReplyBytes: 1024 * 1024,
};

type Pending = { kind: "frame"; sentAtMs: number } | { kind: "command"; resolve: (reply: unknown) => void; reject: (error: Error) => void; sentAtMs: number };

export interface DaemonClientOptions {
  socketPath: string;
  /** Called when the connection is up and `info` answered, and when it goes down. */
  onStatus?: (online: boolean, info: InfoReply | null) => void;
  log?: (message: string) => void;
  limits?: Partial<typeof daemonLimits>;
}

export interface DaemonStats {
  framesSent: number;
  framesDropped: number;
  frameErrors: number;
  lastFrameError: string | null;
  connects: number;
}

export class DaemonClient {
  private socket: UnixConnection | null = null;
  private ready = false;
  private stopped = true;
  private backoffMs: number;
  private reconnectTimer: ReturnType<typeof setTimeout> | null = null;
  private watchdog: ReturnType<typeof setInterval> | null = null;
  private readonly pending: Pending[] = [];
  private inflightFrames = 0;
  /** The start of a reply line whose newline has not arrived yet. */
  private partial: Uint8Array[] = [];
  private partialBytes = 0;
  private readonly limits: typeof daemonLimits;
  private infoReply: InfoReply | null = null;
  readonly stats: DaemonStats = { framesSent: 0, framesDropped: 0, frameErrors: 0, lastFrameError: null, connects: 0 };

  constructor(private readonly options: DaemonClientOptions) {
    this.limits = { ...daemonLimits, ...options.limits };
    this.backoffMs = this.limits.reconnectMinMs;
  }

  get online(): boolean {
    return this.ready;
  }
  /** The daemon's `info` from the current connection (or the last one). */
  get info(): InfoReply | null {
    return this.infoReply;
  }

  /** Starts connecting; resolves after the first attempt settled (online or not). */
  start(): Promise<boolean> {
    this.stopped = false;
    this.watchdog = setInterval(() => this.checkReplyTimeout(), Math.max(50, this.limits.replyTimeoutMs / 3));
    return new Promise((resolve) => this.connect(resolve));
  }

  stop(): void {
    this.stopped = true;
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    if (this.watchdog) clearInterval(this.watchdog);
    this.socket?.destroy();
  }

  /** Sends a frame if the daemon can take it now. False = dropped (offline or busy). */
  sendFrame(frame: PackedFrame): boolean {
    const socket = this.socket;
    if (!this.ready || socket === null || this.inflightFrames >= this.limits.maxInflightFrames || socket.bufferedBytes > this.limits.maxBufferedBytes) {
      this.stats.framesDropped++;
      return false;
    }
    this.pending.push({ kind: "frame", sentAtMs: Date.now() });
    this.inflightFrames++;
    this.stats.framesSent++;
    socket.write(encodeFrameLine(frame));
    return true;
  }

  /** Turns the strip off; resolves false when the daemon is offline or refused. */
  async off(): Promise<boolean> {
    try {
      const reply = (await this.command({ type: "off" })) as { ok?: unknown };
      return reply.ok === true;
    } catch {
      return false;
    }
  }

  /** What the strip shows now, or null when offline. */
  async snapshot(): Promise<SnapshotReply | null> {
    try {
      const reply = await this.command({ type: "snapshot" });
      return Value.Check(SnapshotReplySchema, reply) ? reply : null;
    } catch {
      return null;
    }
  }

  command(command: Command): Promise<unknown> {
    if (!this.ready || this.socket === null) return Promise.reject(new Error("the tree's LED daemon is offline"));
    return this.send(this.socket, command);
  }

  private send(socket: UnixConnection, command: Command): Promise<unknown> {
    return new Promise((resolve, reject) => {
      this.pending.push({ kind: "command", resolve, reject, sentAtMs: Date.now() });
      socket.write(`${JSON.stringify(command)}\n`);
    });
  }

  private connect(settled?: (online: boolean) => void): void {
    if (this.stopped) return settled?.(false);
    let announced = false;
    const settle = (online: boolean) => {
      if (!announced) {
        announced = true;
        settled?.(online);
      }
    };
    const socket: UnixConnection = UnixConnection.open(this.options.socketPath, {
      open: () => {
        this.send(socket, { type: "info" })
          .then((reply) => {
            if (!Value.Check(InfoReplySchema, reply)) throw new Error(`unexpected info reply ${JSON.stringify(reply).slice(0, 200)}`);
            this.infoReply = reply;
            this.ready = true;
            this.backoffMs = this.limits.reconnectMinMs;
            this.stats.connects++;
            this.options.log?.(`daemon online: ${reply.ledCount} LEDs, driver ${reply.driver}`);
            this.options.onStatus?.(true, reply);
            settle(true);
          })
          .catch((error: Error) => {
            this.options.log?.(`daemon handshake failed: ${error.message}`);
            socket.destroy();
          });
      },
      data: (text) => this.onData(socket, text),
      close: () => {
        if (this.socket === socket) this.socket = null;
        const wasReady = this.ready;
        this.ready = false;
        this.partial = [];
        this.partialBytes = 0;
        this.inflightFrames = 0;
        for (const entry of this.pending.splice(0)) {
          if (entry.kind === "command") entry.reject(new Error("the connection to the LED daemon closed"));
        }
        if (wasReady) {
          this.options.log?.("daemon offline; reconnecting");
          this.options.onStatus?.(false, this.infoReply);
        }
        settle(false);
        this.scheduleReconnect();
      },
    });
    this.socket = socket;
  }

  private scheduleReconnect(): void {
    if (this.stopped) return;
    const delay = this.backoffMs;
    this.backoffMs = Math.min(this.limits.reconnectMaxMs, this.backoffMs * 2);
    this.reconnectTimer = setTimeout(() => this.connect(), delay);
  }

  private onData(socket: UnixConnection, chunk: Uint8Array): void {
    let start = 0;
    for (let newline = chunk.indexOf(newlineByte); newline !== -1; newline = chunk.indexOf(newlineByte, start)) {
      // A shown frame's reply, whole in this chunk, is compared as bytes: no text is made for it.
      if (this.partialBytes === 0 && isOkReply(chunk, start, newline)) this.onReply(okReply);
      else this.onReply(this.lineText(chunk.subarray(start, newline)));
      start = newline + 1;
    }
    if (start < chunk.length) {
      // A copy (a Buffer's slice would be a view): the socket may reuse its buffer for the next chunk.
      this.partial.push(new Uint8Array(chunk.subarray(start)));
      this.partialBytes += chunk.length - start;
      if (this.partialBytes > this.limits.maxReplyBytes) {
        this.options.log?.("daemon sent an over-long reply; reconnecting");
        socket.destroy();
      }
    }
  }

  /** The pending start of a line plus its end, as text. */
  private lineText(end: Uint8Array): string {
    if (this.partialBytes === 0) return replyText.decode(end);
    const whole = new Uint8Array(this.partialBytes + end.length);
    let offset = 0;
    for (const part of this.partial) {
      whole.set(part, offset);
      offset += part.length;
    }
    whole.set(end, offset);
    this.partial = [];
    this.partialBytes = 0;
    return replyText.decode(whole);
  }

  private onReply(line: string): void {
    const entry = this.pending.shift();
    if (entry === undefined) {
      this.options.log?.(`daemon sent an unrequested line: ${line.slice(0, 120)}`);
      return;
    }
    // A shown frame's reply is always this exact line: no parse for the common case.
    if (entry.kind === "frame" && line === okReply) {
      this.inflightFrames--;
      return;
    }
    let reply: unknown;
    try {
      reply = JSON.parse(line);
    } catch {
      reply = { ok: false, error: `unparsable reply: ${line.slice(0, 120)}` };
    }
    if (entry.kind === "command") {
      entry.resolve(reply);
      return;
    }
    this.inflightFrames--;
    if ((reply as { ok?: unknown } | null)?.ok !== true) {
      this.stats.frameErrors++;
      this.stats.lastFrameError = String((reply as { error?: unknown } | null)?.error ?? line).slice(0, 200);
    }
  }

  private checkReplyTimeout(): void {
    // Replies come in order, so the oldest unanswered line tells whether the daemon still answers.
    const oldest = this.pending[0];
    if (oldest !== undefined && Date.now() - oldest.sentAtMs > this.limits.replyTimeoutMs) {
      this.options.log?.("the LED daemon stopped answering; reconnecting");
      this.socket?.destroy();
    }
  }
}
