/**
 * Routes: POST /api/preview, GET /api/preview/:id, WebSocket /api/preview/:id/live.
 * Only the browser that started a preview can read or watch it; to anyone else it does not exist
 * (404, so ids cannot be probed). The socket carries the same binary R, G, B frames as /api/live,
 * then one text message, the preview's final view, and closes.
 */
import { Elysia } from "elysia";
import type { AppContext } from "../../context.ts";
import { AppError } from "../../errors.ts";
import { liveBackpressureBytes, liveMaxIncomingBytes, liveRefusedCloseCode } from "../live/index.ts";
import { readUploadedSource } from "../submissions/upload-body.ts";
import { PreviewParamsSchema, type PreviewStarted, type PreviewView } from "./model.ts";
import { previewReader, previewStarter } from "./owner.ts";

/** Sockets one preview may have open (its owner's page, maybe a second tab). */
export const maxSocketsPerPreview = 3;

const unknownPreview = (id: string) =>
  new AppError("not_found", `Preview ${id.slice(0, 8)} was not found: previews are kept for a few minutes, and only the browser that started one can see it.`);

export function previewRoutes(ctx: AppContext) {
  return new Elysia({ name: "preview" })
    .post(
      "/api/preview",
      async ({ request, server, cookie, set }): Promise<PreviewStarted> => {
        const { userId, ownerId: owner } = await previewStarter(ctx, { cookie, request, server });
        const ip = ctx.clientIp(request, server);
        if (ctx.blockList.has(userId)) throw new AppError("blocked", "The operator has blocked programs from you.");
        if (ctx.blockedAddresses.has(ip)) throw new AppError("blocked", "The operator has blocked programs from your device's network address.");
        ctx.previews.admit(owner, ip);
        const source = await readUploadedSource(request, ctx.uploadLimits);
        const started = ctx.previews.start(owner, ip, source);
        set.status = 202;
        return started;
      },
      // The body is read by readUploadedSource, as a capped stream (the same forms as /upload).
      { parse: "none" },
    )
    .get(
      "/api/preview/:id",
      async ({ params, cookie }): Promise<PreviewView> => {
        const view = ctx.previews.view(params.id, await previewReader(ctx, cookie));
        if (view === undefined) throw unknownPreview(params.id);
        return view;
      },
      { params: PreviewParamsSchema },
    )
    .ws("/api/preview/:id/live", {
      params: PreviewParamsSchema,
      maxPayloadLength: liveMaxIncomingBytes,
      backpressureLimit: liveBackpressureBytes,
      closeOnBackpressureLimit: true,
      idleTimeout: 60,
      async beforeHandle({ params, cookie }) {
        // The cheap refusal, as an HTTP 404 before the upgrade.
        if (ctx.previews.view(params.id, await previewReader(ctx, cookie)) === undefined) throw unknownPreview(params.id);
      },
      async open(ws) {
        const socket = ws.raw;
        const id = ws.data.params.id;
        if (ctx.previews.listenerCount(id) >= maxSocketsPerPreview) {
          socket.close(liveRefusedCloseCode, "too_many_connections");
          return;
        }
        let closed = false;
        const stop = ctx.previews.watch(id, await previewReader(ctx, ws.data.cookie), {
          frame: (rgb) => {
            if (!closed) socket.send(rgb);
          },
          end: (view) => {
            if (closed) return;
            closed = true;
            socket.send(JSON.stringify(view));
            socket.close(1000, view.status);
          },
        });
        if (stop === undefined) {
          socket.close(liveRefusedCloseCode, "not_found");
          return;
        }
        stopWatching.set(socket, () => {
          closed = true;
          stop();
        });
      },
      message() {
        // The page has nothing to say.
      },
      close(ws) {
        stopWatching.get(ws.raw)?.();
        stopWatching.delete(ws.raw);
      },
    });
}

const stopWatching = new WeakMap<object, () => void>();
