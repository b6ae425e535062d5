/**
 * Builds the Elysia app from an AppContext without listening, so tests can call
 * `app.handle(new Request(...))`. Cross-cutting rules live here: security
 * headers on every response, one error envelope `{code, message}` for every
 * failure (a client's mistake is a 4xx with a sentence, never a 500), a Host
 * allow-list against DNS rebinding (host-allow-list.ts), and a same-origin rule
 * for requests that change state.
 */
import { Elysia } from "elysia";
import type { AppContext } from "./context.ts";
import { AppError } from "./errors.ts";
import { checkRoutes } from "./modules/check/index.ts";
import { galleryRoutes } from "./modules/gallery/index.ts";
import { liveRoutes } from "./modules/live/index.ts";
import { operatorRoutes } from "./modules/operator/index.ts";
import { pageRoutes } from "./modules/pages.ts";
import { portalAnswers, portalRoutes } from "./modules/portal/index.ts";
import { previewRoutes } from "./modules/preview/index.ts";
import { queueRoutes } from "./modules/queue/index.ts";
import { submissionRoutes } from "./modules/submissions/index.ts";
import { securityHeaders } from "./security-headers.ts";

const json = (status: number, body: Record<string, unknown>, extraHeaders: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json; charset=utf-8", ...securityHeaders, ...extraHeaders } });

export function errorResponse(error: AppError): Response {
  const retry = error.extra.retryAfterSeconds;
  return json(error.status, error.toJSON(), retry === undefined ? {} : { "retry-after": String(retry) });
}

/** Elysia's own errors, turned into messages a student can act on. */
function frameworkError(code: string | number, error: unknown, path: string): AppError | null {
  switch (code) {
    case "NOT_FOUND":
      return new AppError("not_found", `Nothing at ${path.slice(0, 80)}`);
    case "PARSE":
      return new AppError("bad_request", "The request body could not be read: send the Content-Type the API documents (JSON for /api routes).");
    case "VALIDATION": {
      const first = (error as { all?: { path?: string; message?: string; schema?: { error?: unknown } }[] }).all?.[0];
      const where = first?.path ? first.path.replace(/^\//, "").replace(/\//g, ".") : "body";
      const custom = typeof first?.schema?.error === "string" ? first.schema.error : undefined;
      return new AppError("validation", `${where}: ${custom ?? first?.message ?? "is not valid"}`);
    }
    case "INVALID_COOKIE_SIGNATURE":
      return new AppError("bad_request", "A cookie was tampered with; clear this site's cookies and reload.");
    case "INVALID_FILE_TYPE":
      return new AppError("unsupported_media_type", "That file type is not accepted here.");
    default:
      return null;
  }
}

/** Requests that change state must come from our own pages (or from no page at all: curl). */
function crossSite(request: Request): boolean {
  if (request.method === "GET" || request.method === "HEAD" || request.method === "OPTIONS") return false;
  const origin = request.headers.get("origin");
  if (origin === null || origin === "null") return request.headers.get("sec-fetch-site") === "cross-site";
  let host: string;
  try {
    host = new URL(origin).host;
  } catch {
    return true;
  }
  return host !== request.headers.get("host");
}

/**
 * A phone on the hotspot asks for its probe under the vendor's name (DNS there
 * answers every name with the tree): only those probes are answered for a
 * foreign Host; the portal sends the phone on to the tree's own URL.
 */
function isPortalProbe(request: Request): boolean {
  if (request.method !== "GET" && request.method !== "HEAD") return false;
  return Object.hasOwn(portalAnswers, new URL(request.url).pathname);
}

const unknownHost = (host: string) =>
  new AppError(
    "unknown_host",
    `This tree does not answer to the name "${host.slice(0, 80)}". Open it by its own address, the one under the QR code (or set publicUrl to the name visitors use).`,
  );

export function createServer(ctx: AppContext) {
  return new Elysia({ name: "tree-app" })
    .onRequest(({ request, set }) => {
      Object.assign(set.headers, securityHeaders);
      const host = request.headers.get("host");
      if (!ctx.hosts.allows(host) && !isPortalProbe(request)) return errorResponse(unknownHost(host ?? ""));
      if (crossSite(request)) return errorResponse(new AppError("forbidden", "Requests that change something must come from this site's own pages."));
    })
    .onError(({ code, error, path, request }) => {
      if (error instanceof AppError) return errorResponse(error);
      const mapped = frameworkError(code, error, path ?? new URL(request.url).pathname);
      if (mapped !== null) return errorResponse(mapped);
      ctx.log(`internal error on ${request.method} ${path}: ${(error as Error)?.stack ?? String(error)}`);
      return errorResponse(new AppError("internal", "Something went wrong inside the tree. It is not your fault; please try again."));
    })
    .use(portalRoutes(ctx))
    .use(submissionRoutes(ctx))
    .use(galleryRoutes(ctx))
    .use(checkRoutes(ctx))
    .use(queueRoutes(ctx))
    .use(liveRoutes(ctx))
    .use(previewRoutes(ctx))
    .use(operatorRoutes(ctx))
    .use(pageRoutes(ctx));
}

export type TreeApp = ReturnType<typeof createServer>;
