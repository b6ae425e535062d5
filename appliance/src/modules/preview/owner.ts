/**
 * Who owns a preview: the one place that says which visitor a request comes from, so the
 * per-browser owner id of the signed cookie can replace the user id here alone. Starting a
 * preview may issue the cookie; reading one never does (no cookie, nothing of yours to read).
 */
import type { AppContext } from "../../context.ts";
import { provenUser, resolveUser, type IdentityInput } from "../../identity/resolve.ts";

export function previewStarter(ctx: AppContext, input: IdentityInput): Promise<string> {
  return resolveUser(ctx, input);
}

export function previewReader(ctx: AppContext, cookie: IdentityInput["cookie"]): Promise<string | null> {
  return provenUser(ctx, cookie);
}
