/**
 * Routes: POST and DELETE /api/submissions/:uuid/share (the owner), GET /api/gallery (anyone), and
 * under /api/operator/gallery (the operator's cookie path): the listing with hidden entries,
 * session (is the operator signed in, without a 401 for visitors), :uuid/hide and :uuid/unhide.
 */
import { Elysia, type Cookie } from "elysia";
import type { AppContext } from "../../context.ts";
import { AppError } from "../../errors.ts";
import { ownerIdOf, resolveVisitor } from "../../identity/resolve.ts";
import { operatorCookieName } from "../operator/sessions.ts";
import { SlidingWindowLimiter } from "../submissions/rate-limit.ts";
import { UuidParamsSchema } from "../submissions/model.ts";
import { galleryMaxPageSize, GalleryQuerySchema, ShareBodySchema, type GalleryPage, type ShareState } from "./model.ts";
import { listGallery, setHidden, share, sharedRecordOf, SourceCache, unshare } from "./service.ts";

function pageLimit(limit: string | undefined): number | undefined {
  if (limit === undefined) return undefined;
  if (Number(limit) > galleryMaxPageSize) throw new AppError("validation", `limit: at most ${galleryMaxPageSize} entries per page`);
  return Number(limit);
}

export function galleryRoutes(ctx: AppContext) {
  // Sharing needs a finished run, so uploads already bound it; this stops re-titling in a loop.
  const shareLimiter = new SlidingWindowLimiter(ctx.config.uploadsPerMinutePerIp, 60_000);
  const sources = new SourceCache();
  const operatorSignedIn = (cookie: Record<string, Cookie<unknown>>) => ctx.operator.enabled && ctx.operator.valid(cookie[operatorCookieName]?.value);
  const requireOperator = (cookie: Record<string, Cookie<unknown>>) => {
    if (!ctx.operator.enabled) throw new AppError("operator_disabled", "The operator view is disabled: set operatorPassword in the config (or TREE_APP_OPERATOR_PASSWORD) and restart.");
    if (!operatorSignedIn(cookie)) throw new AppError("unauthorized", "Log in as the operator first (on /operator).");
  };

  return new Elysia({ name: "gallery" })
    .post(
      "/api/submissions/:uuid/share",
      async ({ params, body, request, server, cookie }): Promise<ShareState> => {
        const { ownerId } = await resolveVisitor(ctx, { cookie, request, server });
        const record = sharedRecordOf(ctx, params.uuid);
        const ip = ctx.clientIp(request, server);
        const rate = shareLimiter.hit(ip);
        if (!rate.ok) {
          const wait = Math.max(1, Math.ceil(rate.retryAfterMs / 1000));
          throw new AppError("rate_limited", `Too many shares from your network: at most ${ctx.config.uploadsPerMinutePerIp} per minute. Try again in ${wait} s.`, {
            retryAfterSeconds: wait,
          });
        }
        try {
          return await share(ctx, record, ownerId, ip, body.title);
        } catch (error) {
          // Only a share that happened spends the budget.
          shareLimiter.refund(ip);
          throw error;
        }
      },
      { params: UuidParamsSchema, body: ShareBodySchema },
    )
    .delete(
      "/api/submissions/:uuid/share",
      async ({ params, request }): Promise<ShareState> => unshare(ctx, sharedRecordOf(ctx, params.uuid), await ownerIdOf(ctx, request)),
      { params: UuidParamsSchema },
    )
    .get(
      "/api/gallery",
      async ({ query, request, set }): Promise<GalleryPage> => {
        set.headers["cache-control"] = "no-store";
        return listGallery(ctx, sources, { before: query.before, limit: pageLimit(query.limit), ownerId: await ownerIdOf(ctx, request) });
      },
      { query: GalleryQuerySchema },
    )
    .get("/api/operator/gallery/session", ({ cookie, set }) => {
      set.headers["cache-control"] = "no-store";
      return { signedIn: operatorSignedIn(cookie) };
    })
    .get(
      "/api/operator/gallery",
      async ({ query, cookie, request, set }): Promise<GalleryPage> => {
        requireOperator(cookie);
        set.headers["cache-control"] = "no-store";
        return listGallery(ctx, sources, { before: query.before, limit: pageLimit(query.limit), ownerId: await ownerIdOf(ctx, request), operator: true });
      },
      { query: GalleryQuerySchema },
    )
    .post(
      "/api/operator/gallery/:uuid/hide",
      ({ params, cookie }): Promise<ShareState> => (requireOperator(cookie), setHidden(ctx, sharedRecordOf(ctx, params.uuid), true)),
      { params: UuidParamsSchema },
    )
    .post(
      "/api/operator/gallery/:uuid/unhide",
      ({ params, cookie }): Promise<ShareState> => (requireOperator(cookie), setHidden(ctx, sharedRecordOf(ctx, params.uuid), false)),
      { params: UuidParamsSchema },
    );
}
