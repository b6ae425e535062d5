/**
 * Routes: POST /upload, GET and DELETE /api/submissions/:uuid.
 */
import { Elysia } from "elysia";
import type { AppContext } from "../../context.ts";
import { AppError, notFound } from "../../errors.ts";
import { owns, resolveVisitor } from "../../identity/resolve.ts";
import { isUuid } from "../../storage/submissions.ts";
import { UuidParamsSchema, type SubmissionView, type UploadAccepted } from "./model.ts";
import { acceptUpload, admitUpload, cancelPending, keepBudgetOnlyIfAccepted } from "./service.ts";
import { pageAssetsOf, refusalPage } from "./refusal-page.ts";
import { readUploadedSource } from "./upload-body.ts";

/** A browser form post (not fetch) wants a page back, not JSON. */
const wantsPage = (request: Request) => {
  const accept = request.headers.get("accept") ?? "";
  return accept.includes("text/html") && request.headers.get("sec-fetch-mode") !== "cors";
};

function knownUuid(uuid: string): string {
  if (!isUuid(uuid)) throw new AppError("not_found", `"${uuid.slice(0, 40)}" is not a submission id`);
  return uuid;
}

export function submissionRoutes(ctx: AppContext) {
  return new Elysia({ name: "submissions" })
    .post(
      "/upload",
      async ({ request, server, cookie, set }): Promise<UploadAccepted | Response> => {
        const { userId, ownerId } = await resolveVisitor(ctx, { cookie, request, server });
        const uploader = { userId, ownerId, ip: ctx.clientIp(request, server) };
        let accepted: UploadAccepted;
        try {
          admitUpload(ctx, uploader);
          accepted = await keepBudgetOnlyIfAccepted(ctx, uploader, async () => acceptUpload(ctx, uploader, await readUploadedSource(request, ctx.uploadLimits)));
        } catch (error) {
          // A form post's refusal is a page with the error and a way back, never raw JSON.
          if (error instanceof AppError && wantsPage(request)) return refusalPage(error, pageAssetsOf(ctx.assets.keys()));
          throw error;
        }
        if (wantsPage(request)) {
          set.status = 303;
          set.headers.location = `/queue?highlight=${accepted.uuid}`;
          return accepted;
        }
        set.status = 201;
        return accepted;
      },
      // The body is read by readUploadedSource, as a capped stream.
      { parse: "none" },
    )
    .get(
      "/api/submissions/:uuid",
      async ({ params, request, server, cookie }): Promise<SubmissionView> => {
        const { ownerId } = await resolveVisitor(ctx, { cookie, request, server });
        const view = ctx.queue.submission(knownUuid(params.uuid), ownerId);
        if (view === undefined) throw notFound(`Submission ${params.uuid.slice(0, 8)}`);
        return view;
      },
      { params: UuidParamsSchema },
    )
    .delete(
      "/api/submissions/:uuid",
      async ({ params, request, server, cookie }) => {
        const { ownerId } = await resolveVisitor(ctx, { cookie, request, server });
        const uuid = knownUuid(params.uuid);
        const record = ctx.store.get(uuid);
        if (record === undefined) throw notFound(`Submission ${uuid.slice(0, 8)}`);
        if (!owns(record, ownerId)) throw new AppError("forbidden", "You can only cancel your own submissions.");
        if (!(await cancelPending(ctx, uuid, "cancelled"))) {
          throw new AppError("conflict", `Submission ${uuid.slice(0, 8)} is ${record.status}, not waiting: only waiting programs can be cancelled.`);
        }
        return { cancelled: true as const };
      },
      { params: UuidParamsSchema },
    );
}
