/**
 * Server-sent events for the queue page: event `queue` with a QueueView, sent to
 * every listener on each change (coalesced) and at least every `queueHeartbeatMs`
 * (so ETAs keep counting down and proxies keep the stream open). The view is
 * rendered once per distinct owner id (browser), not once per connection.
 */
import { PerAddressCount } from "../per-address-count.ts";
import type { QueueView } from "./model.ts";

export const queueHeartbeatMs = 5000;
/** Changes closer together than this are sent as one event. */
export const queueCoalesceMs = 100;
/** Events waiting for a client that does not read; past this it is dropped (its page reconnects). */
export const maxUnreadQueueEvents = 20;

interface Listener {
  ownerId: string | null;
  ip: string;
  controller: ReadableStreamDefaultController<Uint8Array>;
}

const encoder = new TextEncoder();
export const encodeQueueEvent = (view: QueueView) => encoder.encode(`event: queue\ndata: ${JSON.stringify(view)}\n\n`);

export class QueueEvents {
  private readonly listeners = new Set<Listener>();
  private readonly perAddress = new PerAddressCount();
  private pendingTimer: ReturnType<typeof setTimeout> | null = null;
  private heartbeat: ReturnType<typeof setInterval> | null = null;

  constructor(
    private readonly render: () => (ownerId: string | null) => QueueView,
    private readonly maxListeners: number,
  ) {}

  get size(): number {
    return this.listeners.size;
  }

  get full(): boolean {
    return this.listeners.size >= this.maxListeners;
  }

  /** Streams open from one client address. */
  openFrom(ip: string): number {
    return this.perAddress.of(ip);
  }

  /**
   * A text/event-stream body for one viewer; it ends when the client goes away.
   * The listener is counted before this returns (start runs synchronously), so
   * a caller's check of `full`/`openFrom` and this call cannot be interleaved.
   */
  open(ownerId: string | null, ip: string): ReadableStream<Uint8Array> {
    let listener: Listener | undefined;
    return new ReadableStream<Uint8Array>({
      start: (controller) => {
        listener = { ownerId, ip, controller };
        this.listeners.add(listener);
        this.perAddress.add(ip);
        controller.enqueue(encoder.encode(`retry: 2000\n\n`));
        controller.enqueue(encodeQueueEvent(this.render()(ownerId)));
        this.heartbeat ??= setInterval(() => this.broadcast(), queueHeartbeatMs);
      },
      cancel: () => {
        if (listener !== undefined) this.remove(listener);
      },
    });
  }

  private remove(listener: Listener): void {
    if (!this.listeners.delete(listener)) return;
    this.perAddress.remove(listener.ip);
    if (this.listeners.size === 0 && this.heartbeat !== null) {
      clearInterval(this.heartbeat);
      this.heartbeat = null;
    }
  }

  /** Something changed: send a fresh view soon (changes within queueCoalesceMs share one event). */
  notify(): void {
    if (this.pendingTimer !== null || this.listeners.size === 0) return;
    this.pendingTimer = setTimeout(() => {
      this.pendingTimer = null;
      this.broadcast();
    }, queueCoalesceMs);
  }

  broadcast(): void {
    if (this.listeners.size === 0) return;
    const render = this.render();
    const byOwner = new Map<string | null, Uint8Array>();
    for (const listener of [...this.listeners]) {
      let bytes = byOwner.get(listener.ownerId);
      if (bytes === undefined) {
        bytes = encodeQueueEvent(render(listener.ownerId));
        byOwner.set(listener.ownerId, bytes);
      }
      try {
        // desiredSize goes negative by one per event the client has not taken yet.
        if ((listener.controller.desiredSize ?? 0) < -maxUnreadQueueEvents) {
          listener.controller.close();
          this.remove(listener);
          continue;
        }
        listener.controller.enqueue(bytes);
      } catch {
        this.remove(listener);
      }
    }
  }

  close(): void {
    if (this.pendingTimer !== null) clearTimeout(this.pendingTimer);
    this.pendingTimer = null;
    for (const listener of [...this.listeners]) {
      try {
        listener.controller.close();
      } catch {
        // already closed by the client
      }
      this.remove(listener);
    }
  }
}
