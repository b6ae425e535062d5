/**
 * The visitor's two ids, both carried in one signed cookie (`user_id`):
 *
 * - `userId`, the seed's fingerprint: an HMAC of address and User-Agent under
 *   the app's secret. It names files and records and is what per-visitor caps
 *   and the operator's block list count, so a cleared cookie gives no fresh
 *   budget. Two browsers on one address with one User-Agent share it.
 * - `ownerId`, 128 random bits made for this browser when it first asks. Only
 *   it proves ownership (`mine`, cancel, results, previews), so that twin
 *   browser owns nothing of the first one's.
 *
 * The cookie holds `<userId>-<ownerId>` signed with Elysia's cookie signing; a
 * cookie whose signature fails or that holds anything else is ignored and a
 * fresh one issued. A cookie from before owner ids (the user id alone, signed)
 * still proves its user id; the browser gets a new owner id, and records
 * stored before owner ids are owned by nobody.
 */
import { createHmac, randomBytes } from "node:crypto";
import { signCookie, unsignCookie } from "elysia/utils";

export const userIdCookieName = "user_id";
/** A year: the identity should outlive a visit, and the fingerprint recreates the user id anyway. */
export const userIdCookieMaxAgeSeconds = 365 * 24 * 3600;
const idPattern = /^[0-9a-f]{32}$/;
/** Verified cookie strings, so a busy page does not re-run the HMAC per request. */
const maxCachedCookies = 10_000;

export const isUserId = (value: unknown): value is string => typeof value === "string" && idPattern.test(value);
/** Owner ids have the user id's shape: 32 hex digits. */
export const isOwnerId = isUserId;

export function fingerprintUserId(secret: string, ip: string, userAgent: string): string {
  return createHmac("sha256", secret).update(`user-id\0${ip}\0${userAgent.slice(0, 512)}`).digest("hex").slice(0, 32);
}

export const newOwnerId = () => randomBytes(16).toString("hex");

/** What a valid cookie proves; `ownerId` is null for a cookie from before owner ids. */
export interface ProvenIds {
  userId: string;
  ownerId: string | null;
}

export class UserIdCookies {
  private readonly verified = new Map<string, ProvenIds>();
  constructor(private readonly secret: string) {}

  sign(ids: { userId: string; ownerId: string }): Promise<string> {
    return signCookie(`${ids.userId}-${ids.ownerId}`, this.secret);
  }

  /** The ids a cookie value proves, or null when it is missing, forged or malformed. */
  async verify(value: unknown): Promise<ProvenIds | null> {
    if (typeof value !== "string" || value.length > 200) return null;
    const cached = this.verified.get(value);
    if (cached !== undefined) return cached;
    const unsigned = await unsignCookie(value, this.secret);
    if (typeof unsigned !== "string") return null;
    const [userId, ownerId, ...rest] = unsigned.split("-");
    if (!isUserId(userId) || rest.length > 0 || (ownerId !== undefined && !isOwnerId(ownerId))) return null;
    const proven = { userId, ownerId: ownerId ?? null };
    if (this.verified.size >= maxCachedCookies) this.verified.clear();
    this.verified.set(value, proven);
    return proven;
  }
}
