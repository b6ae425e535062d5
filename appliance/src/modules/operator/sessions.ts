/**
 * Operator login. The password is compared through HMAC digests so the
 * comparison takes the same time whatever the guess; failed attempts are rate
 * limited per address. A successful login gets a random session token (kept in
 * memory only: a restart logs the operator out) in a signed, HttpOnly,
 * SameSite=Strict cookie.
 */
import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";

export const operatorCookieName = "operator";
export const operatorSessionMs = 12 * 3600 * 1000;
export const maxOperatorSessions = 32;
/** Failed logins allowed per address per minute. */
export const operatorLoginAttemptsPerMinute = 5;

export class OperatorSessions {
  private readonly sessions = new Map<string, number>();

  constructor(
    private readonly secret: string,
    private readonly password: string | undefined,
    private readonly now: () => number = Date.now,
  ) {}

  get enabled(): boolean {
    return this.password !== undefined;
  }

  passwordMatches(guess: string): boolean {
    if (this.password === undefined) return false;
    const digest = (value: string) => createHmac("sha256", this.secret).update(`operator\0${value}`).digest();
    return timingSafeEqual(digest(guess), digest(this.password));
  }

  open(): string {
    const token = randomBytes(24).toString("hex");
    if (this.sessions.size >= maxOperatorSessions) this.sessions.delete(this.sessions.keys().next().value!);
    this.sessions.set(token, this.now() + operatorSessionMs);
    return token;
  }

  valid(token: unknown): boolean {
    if (typeof token !== "string") return false;
    const expires = this.sessions.get(token);
    if (expires === undefined) return false;
    if (expires < this.now()) {
      this.sessions.delete(token);
      return false;
    }
    return true;
  }

  close(token: unknown): void {
    if (typeof token === "string") this.sessions.delete(token);
  }
}
