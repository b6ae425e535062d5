/**
 * GET /api/live: WebSocket of the strip as it shows. Every viewer subscribes to
 * one topic; the broadcaster publishes each sample once and Bun copies the same
 * bytes to every socket. A viewer too slow to keep up is disconnected rather
 * than buffered without bound (its page reconnects).
 */
import { Elysia } from "elysia";
import type { AppContext } from "../../context.ts";
import { AppError } from "../../errors.ts";

export const liveTopic = "live";
/** Bytes queued for one viewer before it is dropped. */
export const liveBackpressureBytes = 256 * 1024;
/** Viewers only listen; anything they send is ignored, and a big message closes them. */
export const liveMaxIncomingBytes = 1024;

export const onlineMessage = (online: boolean) => JSON.stringify({ online });

export function liveRoutes(ctx: AppContext) {
  return new Elysia({ name: "live" }).ws("/api/live", {
    maxPayloadLength: liveMaxIncomingBytes,
    backpressureLimit: liveBackpressureBytes,
    closeOnBackpressureLimit: true,
    idleTimeout: 60,
    beforeHandle() {
      if (ctx.live.viewerCount >= ctx.config.maxLiveViewers) {
        throw new AppError("queue_full", "Too many people are watching the tree right now; try again in a minute.");
      }
    },
    open(ws) {
      ctx.live.viewerJoined();
      ws.raw.subscribe(liveTopic);
      ws.raw.send(onlineMessage(ctx.tree().online));
      ws.raw.send(ctx.live.current);
    },
    message() {
      // Viewers have nothing to say.
    },
    close(ws) {
      ws.raw.unsubscribe(liveTopic);
      ctx.live.viewerLeft();
    },
  });
}
