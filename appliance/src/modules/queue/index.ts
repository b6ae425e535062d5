/**
 * Routes: GET /api/queue (JSON), GET /api/queue/events (SSE), GET /api/layout,
 * GET /api/health, GET /api/site.
 */
import { Elysia } from "elysia";
import { Type as t, type Static } from "@sinclair/typebox";
import type { AppContext } from "../../context.ts";
import { HostStatusViewSchema } from "../../host-status/reader.ts";
import { AppError } from "../../errors.ts";
import { resolveVisitor } from "../../identity/resolve.ts";
import type { QueueView } from "./model.ts";

export const SiteSchema = t.Object({
  /** Base URL for the QR code; null = use the page's own origin. */
  publicUrl: t.Union([t.String(), t.Null()]),
  /** Where publicUrl comes from: the operator's config, the host's address in force (tree-host), or nowhere. */
  publicUrlSource: t.Union([t.Literal("config"), t.Literal("host"), t.Null()]),
  /** Wi-Fi join details for the printed QR page, when configured. */
  wifi: t.Union([t.Object({ ssid: t.String(), password: t.Union([t.String(), t.Null()]) }), t.Null()]),
  operatorEnabled: t.Boolean(),
});

/** A refused stream's page retries on its own after about this long (frontend/src/queue/queue-feed.ts). */
export const eventStreamRetrySeconds = 5;

/** `GET /api/health`: ok, tree and sandbox as before; host is what tree-host reports (host-status/). */
export const HealthSchema = t.Object({
  ok: t.Literal(true),
  tree: t.Object({ online: t.Boolean() }),
  sandbox: t.Object({ ready: t.Boolean(), reason: t.Optional(t.String()) }),
  host: HostStatusViewSchema,
});

/**
 * Whether phones join the tree's own hotspot now, so its join code belongs on /qr: off an appliance
 * (no host status) whenever one is configured; on one, only while the hotspot is what is up (hotspot
 * mode, or a venue mode that fell back), never while the venue's network or a cable is in use.
 */
function hotspotUp(ctx: AppContext): boolean {
  const network = ctx.hostStatus.view.status?.network;
  if (network === undefined) return true;
  return network.active === "hotspot" || (network.active === null && network.mode === "hotspot");
}

export function siteOf(ctx: AppContext): Static<typeof SiteSchema> {
  const publicUrl = ctx.publicUrl() ?? null;
  return {
    publicUrl,
    publicUrlSource: ctx.config.publicUrl !== undefined ? "config" : publicUrl !== null ? "host" : null,
    wifi: hotspotUp(ctx) && ctx.config.wifiSsid !== undefined ? { ssid: ctx.config.wifiSsid, password: ctx.config.wifiPassword ?? null } : null,
    operatorEnabled: ctx.operator.enabled,
  };
}

export function queueRoutes(ctx: AppContext) {
  const layouts = new Map<number, [number, number, number][]>();
  return new Elysia({ name: "queue" })
    .get(
      "/api/queue",
      async ({ request, server, cookie, set }): Promise<QueueView> => {
        const { ownerId } = await resolveVisitor(ctx, { cookie, request, server });
        set.headers["cache-control"] = "no-store";
        return ctx.queue.view(ownerId);
      },
    )
    .get("/api/queue/events", async ({ request, server, cookie }) => {
      const { ownerId } = await resolveVisitor(ctx, { cookie, request, server });
      const ip = ctx.clientIp(request, server);
      // Checked and opened with no await in between, so parallel requests cannot all slip past.
      if (ctx.events.openFrom(ip) >= ctx.config.maxEventStreamsPerIp) {
        throw new AppError(
          "too_many_connections",
          `Your device already follows the queue in ${ctx.config.maxEventStreamsPerIp} open pages; close a tab or two and reload this one.`,
          { retryAfterSeconds: eventStreamRetrySeconds },
        );
      }
      if (ctx.events.full) {
        throw new AppError("too_many_viewers", "Too many people are watching the queue right now; reload the page in a minute.", { retryAfterSeconds: eventStreamRetrySeconds });
      }
      return new Response(ctx.events.open(ownerId, ip), {
        headers: { "content-type": "text/event-stream; charset=utf-8", "cache-control": "no-store", "x-accel-buffering": "no" },
      });
    })
    .get(
      "/api/layout",
      () => {
        const { ledCount } = ctx.tree();
        let positions = layouts.get(ledCount);
        if (positions === undefined) {
          positions = ctx.ledPositions(ledCount);
          layouts.set(ledCount, positions);
        }
        return { ledCount, positions };
      },
    )
    .get(
      "/api/health",
      (): Static<typeof HealthSchema> => ({
        ok: true,
        tree: { online: ctx.tree().online },
        sandbox: ctx.sandbox.ready ? { ready: true } : { ready: false, reason: ctx.sandbox.reason ?? "not ready" },
        host: ctx.hostStatus.view,
      }),
      { response: HealthSchema },
    )
    .get("/api/site", () => siteOf(ctx), { response: SiteSchema });
}
