/**
 * GET /api/live: WebSocket of the strip as it shows. Every viewer subscribes to
 * one topic; the broadcaster publishes each sample once and Bun copies the same
 * bytes to every socket. A viewer too slow to keep up is disconnected rather
 * than buffered without bound (its page reconnects). One address may hold at
 * most maxLiveViewersPerIp sockets, so one client cannot take every slot.
 */
import { Elysia } from "elysia";
import type { AppContext } from "../../context.ts";
import { AppError } from "../../errors.ts";
import { PerAddressCount } from "../per-address-count.ts";

export const liveTopic = "live";
/** Bytes queued for one viewer before it is dropped. */
export const liveBackpressureBytes = 256 * 1024;
/** Viewers only listen; anything they send is ignored, and a big message closes them. */
export const liveMaxIncomingBytes = 1024;

export const onlineMessage = (online: boolean) => JSON.stringify({ online });

/** WebSocket close code for a viewer refused after the upgrade (RFC 6455: policy violation). */
export const liveRefusedCloseCode = 1008;

export function liveRoutes(ctx: AppContext) {
  const perAddress = new PerAddressCount();
  /** Address of each admitted socket, so close frees exactly what open counted. */
  const admitted = new Map<object, string>();
  const refusal = (ip: string): AppError | null => {
    if (perAddress.of(ip) >= ctx.config.maxLiveViewersPerIp) {
      return new AppError("too_many_connections", `Your device already watches the tree in ${ctx.config.maxLiveViewersPerIp} open pages; close a tab or two and reload this one.`);
    }
    if (ctx.live.viewerCount >= ctx.config.maxLiveViewers) {
      return new AppError("too_many_viewers", "Too many people are watching the tree right now; try again in a minute.");
    }
    return null;
  };
  return new Elysia({ name: "live" }).ws("/api/live", {
    maxPayloadLength: liveMaxIncomingBytes,
    backpressureLimit: liveBackpressureBytes,
    closeOnBackpressureLimit: true,
    idleTimeout: 60,
    beforeHandle({ request, server }) {
      // The cheap refusal, as an HTTP error before the upgrade.
      const refused = refusal(ctx.clientIp(request, server));
      if (refused !== null) throw refused;
    },
    open(ws) {
      // Upgrades that passed beforeHandle together open one by one: count here, where it is exact.
      const ip = ctx.clientIp(ws.data.request, ws.data.server);
      const refused = refusal(ip);
      if (refused !== null) {
        ws.raw.close(liveRefusedCloseCode, refused.code);
        return;
      }
      admitted.set(ws.raw, ip);
      perAddress.add(ip);
      ctx.live.viewerJoined();
      ws.raw.subscribe(liveTopic);
      ws.raw.send(onlineMessage(ctx.tree().online));
      ws.raw.send(ctx.live.current);
    },
    message() {
      // Viewers have nothing to say.
    },
    close(ws) {
      const ip = admitted.get(ws.raw);
      if (ip === undefined) return;
      admitted.delete(ws.raw);
      perAddress.remove(ip);
      ws.raw.unsubscribe(liveTopic);
      ctx.live.viewerLeft();
    },
  });
}
