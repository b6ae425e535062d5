/**
 * The frontend's pages and assets (frontend/assets.ts builds the map), served
 * from memory with gzip when the phone accepts it. Loading a page marks the
 * client as "seen" for the captive-portal answers.
 */
import { gzipSync } from "bun";
import { Elysia } from "elysia";
import type { AppContext, Asset } from "../context.ts";
import { AppError } from "../errors.ts";

/** Pages change with every deploy; bundled assets carry a hash in their name. */
const cacheControl = (path: string) => (path.startsWith("/assets/") ? "public, max-age=86400" : "no-cache");
const compressible = (contentType: string) => /^(text\/|application\/(javascript|json|xml)|image\/svg)/.test(contentType);
/** Paths that are pages a visitor opens (not assets). */
const pagePaths = new Set(["/", "/editor", "/queue", "/docs", "/qr", "/operator", "/gallery"]);

export function pageRoutes(ctx: AppContext) {
  const gzipped = new Map<string, Uint8Array>();
  const serve = (path: string, asset: Asset, request: Request) => {
    const headers: Record<string, string> = { "content-type": asset.contentType, "cache-control": cacheControl(path), vary: "accept-encoding" };
    if (compressible(asset.contentType) && asset.body.byteLength > 512 && /\bgzip\b/.test(request.headers.get("accept-encoding") ?? "")) {
      let body = gzipped.get(path);
      if (body === undefined) {
        body = gzipSync(asset.body as Uint8Array<ArrayBuffer>);
        gzipped.set(path, body);
      }
      headers["content-encoding"] = "gzip";
      return new Response(body as Uint8Array<ArrayBuffer>, { headers });
    }
    return new Response(asset.body as Uint8Array<ArrayBuffer>, { headers });
  };
  return new Elysia({ name: "pages" }).get("/*", ({ request, server, path }) => {
    if (request.method !== "GET" && request.method !== "HEAD") throw new AppError("not_found", `Nothing at ${path.slice(0, 80)}`);
    const asset = ctx.assets.get(path) ?? ctx.assets.get(path.replace(/\/+$/, ""));
    if (asset === undefined) throw new AppError("not_found", `Nothing at ${path.slice(0, 80)}`);
    if (pagePaths.has(path)) ctx.seenClients.mark(ctx.clientIp(request, server));
    return serve(path, asset, request);
  });
}
