/**
 * Who is asking (see user-id.ts for the two ids). `resolveVisitor` is for
 * routes that may issue the cookie: a browser without a valid one gets its
 * fingerprint as user id and a fresh random owner id, so a forged or foreign
 * cookie is replaced, never believed. `ownerIdOf` only reads: any module
 * (queue, submissions, previews, a WebSocket upgrade) asks it who owns what,
 * and a request without a valid cookie owns nothing.
 */
import type { Cookie } from "elysia";
import type { AppContext, PeerAddressSource } from "../context.ts";
import { fingerprintUserId, newOwnerId, userIdCookieMaxAgeSeconds, userIdCookieName } from "./user-id.ts";

export interface IdentityInput {
  cookie: Record<string, Cookie<unknown>>;
  request: Request;
  server: PeerAddressSource | null;
}

export interface VisitorIds {
  /** The fingerprint: names files and records; caps and the block list count it. */
  userId: string;
  /** This browser's random id: the only proof of ownership. */
  ownerId: string;
}

export async function resolveVisitor(ctx: AppContext, { cookie, request, server }: IdentityInput): Promise<VisitorIds> {
  const jar = cookie[userIdCookieName]!;
  const proven = await ctx.identity.verify(jar.value);
  if (proven !== null && proven.ownerId !== null) return { userId: proven.userId, ownerId: proven.ownerId };
  const ids = {
    userId: proven?.userId ?? fingerprintUserId(ctx.secret, ctx.clientIp(request, server), request.headers.get("user-agent") ?? ""),
    ownerId: newOwnerId(),
  };
  jar.set({ value: await ctx.identity.sign(ids), httpOnly: true, sameSite: "lax", path: "/", maxAge: userIdCookieMaxAgeSeconds });
  return ids;
}

/** The value of one cookie in a request's Cookie header (URL-decoded, as Elysia wrote it), or undefined. */
export function cookieValue(request: Request, name: string): string | undefined {
  const header = request.headers.get("cookie");
  if (header === null) return undefined;
  for (const part of header.split(";")) {
    const eq = part.indexOf("=");
    if (eq === -1 || part.slice(0, eq).trim() !== name) continue;
    try {
      return decodeURIComponent(part.slice(eq + 1).trim());
    } catch {
      return undefined;
    }
  }
  return undefined;
}

/** The owner id this request's signed cookie proves, or null (then it owns nothing). Never issues a cookie. */
export async function ownerIdOf(ctx: Pick<AppContext, "identity">, request: Request): Promise<string | null> {
  return (await ctx.identity.verify(cookieValue(request, userIdCookieName)))?.ownerId ?? null;
}

/** True when `ownerId` owns the record; records from before owner ids (no `owner_id`) belong to nobody. */
export function owns(record: { owner_id?: string }, ownerId: string | null): boolean {
  return ownerId !== null && record.owner_id !== undefined && record.owner_id === ownerId;
}
