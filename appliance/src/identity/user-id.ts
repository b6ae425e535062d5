/**
 * The visitor's identity (seed: a fingerprint of IP + User-Agent, given as the
 * cookie `user_id`). The id is an HMAC of both under the app's secret, so it
 * cannot be guessed from outside and is safe as part of a file name. The cookie
 * carries the id signed with Elysia's cookie signing; a cookie whose signature
 * fails, or that holds anything but an id, is ignored and a fresh one issued.
 */
import { createHmac } from "node:crypto";
import { signCookie, unsignCookie } from "elysia/utils";

export const userIdCookieName = "user_id";
/** A year: the identity should outlive a visit, and the fingerprint recreates it anyway. */
export const userIdCookieMaxAgeSeconds = 365 * 24 * 3600;
const userIdPattern = /^[0-9a-f]{32}$/;
/** Verified cookie strings, so a busy page does not re-run the HMAC per request. */
const maxCachedCookies = 10_000;

export const isUserId = (value: unknown): value is string => typeof value === "string" && userIdPattern.test(value);

export function fingerprintUserId(secret: string, ip: string, userAgent: string): string {
  return createHmac("sha256", secret).update(`user-id\0${ip}\0${userAgent.slice(0, 512)}`).digest("hex").slice(0, 32);
}

export class UserIdCookies {
  private readonly verified = new Map<string, string>();
  constructor(private readonly secret: string) {}

  sign(userId: string): Promise<string> {
    return signCookie(userId, this.secret);
  }

  /** The user id a cookie value proves, or null when it is missing, forged or malformed. */
  async verify(value: unknown): Promise<string | null> {
    if (typeof value !== "string" || value.length > 200) return null;
    const cached = this.verified.get(value);
    if (cached !== undefined) return cached;
    const unsigned = await unsignCookie(value, this.secret);
    if (!isUserId(unsigned)) return null;
    if (this.verified.size >= maxCachedCookies) this.verified.clear();
    this.verified.set(value, unsigned);
    return unsigned;
  }
}
