/**
 * Who owns a preview: the per-browser owner id of the signed cookie (never the
 * fingerprint, which a twin browser on the same address shares). Starting a
 * preview may issue the cookie; reading one never does (no cookie, nothing of
 * yours to read).
 */
import type { AppContext } from "../../context.ts";
import { resolveVisitor, type IdentityInput, type VisitorIds } from "../../identity/resolve.ts";
import { userIdCookieName } from "../../identity/user-id.ts";

export function previewStarter(ctx: AppContext, input: IdentityInput): Promise<VisitorIds> {
  return resolveVisitor(ctx, input);
}

export async function previewReader(ctx: AppContext, cookie: IdentityInput["cookie"]): Promise<string | null> {
  return (await ctx.identity.verify(cookie[userIdCookieName]?.value))?.ownerId ?? null;
}
