/**
 * The live virtual tree's source. While anyone watches, it samples at `liveFps`
 * what the strip shows: the daemon's snapshot (after brightness and the current
 * limiter, i.e. the truth) when the daemon is online, otherwise the last frame
 * the runner produced, scaled by each LED's level. Each sample is encoded once
 * (R, G, B bytes per LED) and handed to `publish`, which sends the same bytes to
 * every viewer; an unchanged strip is not re-sent, except as a keep-alive.
 */
import type { PackedFrame } from "../../../../protocol/frame.ts";
import type { SnapshotReply } from "../../../../protocol/messages.ts";

/** A still strip is re-sent this often so a viewer can tell "still" from "stalled". */
export const liveKeepAliveMs = 2000;

export interface LiveSource {
  readonly online: boolean;
  snapshot(): Promise<SnapshotReply | null>;
}

export interface BroadcasterOptions {
  fps: number;
  daemon: LiveSource;
  ledCount: () => number;
  publish: (rgb: Uint8Array) => void;
  now?: () => number;
}

/** RGBL (level 0-100) → RGB as the LEDs would show it without a limiter. */
export function rgbFromFrame(frame: PackedFrame): Uint8Array {
  const rgb = new Uint8Array((frame.length / 4) * 3);
  for (let i = 0, o = 0; i < frame.length; i += 4, o += 3) {
    const level = frame[i + 3]!;
    rgb[o] = Math.round((frame[i]! * level) / 100);
    rgb[o + 1] = Math.round((frame[i + 1]! * level) / 100);
    rgb[o + 2] = Math.round((frame[i + 2]! * level) / 100);
  }
  return rgb;
}

const sameBytes = (a: Uint8Array | null, b: Uint8Array) => a !== null && a.length === b.length && Buffer.compare(a, b) === 0;

export class LiveBroadcaster {
  private viewers = 0;
  private timer: ReturnType<typeof setInterval> | null = null;
  private lastLocalFrame: PackedFrame | null = null;
  private lastSent: Uint8Array | null = null;
  private lastSentAtMs = 0;
  private sampling = false;
  private readonly now: () => number;

  constructor(private readonly options: BroadcasterOptions) {
    this.now = options.now ?? Date.now;
  }

  /** The runner's frames, used while the daemon is offline. */
  noteFrame(frame: PackedFrame): void {
    this.lastLocalFrame = frame;
  }

  /** The strip went dark (between jobs). */
  noteOff(): void {
    this.lastLocalFrame = null;
  }

  /** The last bytes sent, for a viewer that just connected. */
  get current(): Uint8Array {
    return this.lastSent ?? new Uint8Array(this.options.ledCount() * 3);
  }

  get viewerCount(): number {
    return this.viewers;
  }

  viewerJoined(): void {
    this.viewers++;
    if (this.timer === null) this.timer = setInterval(() => void this.sample(), Math.round(1000 / this.options.fps));
  }

  viewerLeft(): void {
    this.viewers = Math.max(0, this.viewers - 1);
    if (this.viewers === 0) this.stop();
  }

  stop(): void {
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = null;
  }

  /** One sample; skipped while the previous snapshot is still on its way. */
  async sample(): Promise<void> {
    if (this.sampling) return;
    this.sampling = true;
    try {
      let rgb: Uint8Array | null = null;
      if (this.options.daemon.online) {
        const snapshot = await this.options.daemon.snapshot();
        if (snapshot !== null) rgb = new Uint8Array(Buffer.from(snapshot.rgb, "base64"));
      }
      if (rgb === null) rgb = this.lastLocalFrame === null ? new Uint8Array(this.options.ledCount() * 3) : rgbFromFrame(this.lastLocalFrame);
      const now = this.now();
      if (sameBytes(this.lastSent, rgb) && now - this.lastSentAtMs < liveKeepAliveMs) return;
      this.lastSent = rgb;
      this.lastSentAtMs = now;
      this.options.publish(rgb);
    } finally {
      this.sampling = false;
    }
  }
}
