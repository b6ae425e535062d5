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
import { createConnection, type Socket } from "node:net";
import { Value } from "@sinclair/typebox/value";
import { type PackedFrame } from "../../../protocol/frame.ts";
import { encodeFrameLine } from "../../../protocol/frame-bytes.ts";
import { InfoReplySchema, okReply, SnapshotReplySchema, type Command, type InfoReply, type SnapshotReply } from "../../../protocol/messages.ts";

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
  private socket: Socket | null = null;
  private ready = false;
  private stopped = true;
  private backoffMs: number;
  private reconnectTimer: ReturnType<typeof setTimeout> | null = null;
  private watchdog: ReturnType<typeof setInterval> | null = null;
  private readonly pending: Pending[] = [];
  private inflightFrames = 0;
  private buffer = "";
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
    if (!this.ready || socket === null || this.inflightFrames >= this.limits.maxInflightFrames || socket.writableLength > this.limits.maxBufferedBytes) {
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

  private send(socket: Socket, command: Command): Promise<unknown> {
    return new Promise((resolve, reject) => {
      this.pending.push({ kind: "command", resolve, reject, sentAtMs: Date.now() });
      socket.write(`${JSON.stringify(command)}\n`);
    });
  }

  private connect(settled?: (online: boolean) => void): void {
    if (this.stopped) return settled?.(false);
    const socket = createConnection({ path: this.options.socketPath });
    this.socket = socket;
    socket.setEncoding("utf8");
    let announced = false;
    const settle = (online: boolean) => {
      if (!announced) {
        announced = true;
        settled?.(online);
      }
    };
    socket.on("connect", () => {
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
    });
    socket.on("data", (chunk: string) => this.onData(socket, chunk));
    socket.on("error", () => {
      // "close" follows; the reason is not actionable beyond "offline".
    });
    socket.on("close", () => {
      if (this.socket === socket) this.socket = null;
      const wasReady = this.ready;
      this.ready = false;
      this.buffer = "";
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
    });
  }

  private scheduleReconnect(): void {
    if (this.stopped) return;
    const delay = this.backoffMs;
    this.backoffMs = Math.min(this.limits.reconnectMaxMs, this.backoffMs * 2);
    this.reconnectTimer = setTimeout(() => this.connect(), delay);
  }

  private onData(socket: Socket, chunk: string): void {
    this.buffer += chunk;
    let start = 0;
    let newline = this.buffer.indexOf("\n", start);
    while (newline !== -1) {
      this.onReply(this.buffer.slice(start, newline));
      start = newline + 1;
      newline = this.buffer.indexOf("\n", start);
    }
    this.buffer = this.buffer.slice(start);
    if (this.buffer.length > this.limits.maxReplyBytes) {
      this.options.log?.("daemon sent an over-long reply; reconnecting");
      socket.destroy();
    }
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
