/**
 * Who is asking: the user id proven by a valid `user_id` cookie, or else the
 * fingerprint of this request's address and browser, issued as a fresh signed
 * cookie (so a forged or foreign cookie is replaced, never believed).
 */
import type { Cookie } from "elysia";
import type { AppContext, PeerAddressSource } from "../context.ts";
import { fingerprintUserId, userIdCookieMaxAgeSeconds, userIdCookieName } from "./user-id.ts";

export interface IdentityInput {
  cookie: Record<string, Cookie<unknown>>;
  request: Request;
  server: PeerAddressSource | null;
}

export async function resolveUser(ctx: AppContext, { cookie, request, server }: IdentityInput): Promise<string> {
  const jar = cookie[userIdCookieName]!;
  const proven = await ctx.identity.verify(jar.value);
  if (proven !== null) return proven;
  const userId = fingerprintUserId(ctx.secret, ctx.clientIp(request, server), request.headers.get("user-agent") ?? "");
  jar.set({ value: await ctx.identity.sign(userId), httpOnly: true, sameSite: "lax", path: "/", maxAge: userIdCookieMaxAgeSeconds });
  return userId;
}

/** The proven user id without issuing a cookie (read-only endpoints that must not set cookies). */
export function provenUser(ctx: AppContext, cookie: Record<string, Cookie<unknown>>): Promise<string | null> {
  return ctx.identity.verify(cookie[userIdCookieName]?.value);
}
