import { mkdtempSync, readdirSync, statSync, writeFileSync, chmodSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadOrCreateSecret, secretFileName } from "./secret.ts";
import { signCookie } from "elysia/utils";
import { cookieValue, ownerIdOf, owns } from "./resolve.ts";
import { fingerprintUserId, isOwnerId, isUserId, newOwnerId, userIdCookieName, UserIdCookies } from "./user-id.ts";

describe("the cookie secret", () => {
  it("is made once, 0600, and kept across starts", () => {
    const dir = mkdtempSync(join(tmpdir(), "tree-secret-"));
    const secret = loadOrCreateSecret(dir);
    expect(secret).toMatch(/^[0-9a-f]{64}$/);
    expect(statSync(join(dir, secretFileName)).mode & 0o777).toBe(0o600);
    expect(loadOrCreateSecret(dir)).toBe(secret);
  });

  it("tightens loose permissions and refuses a file it did not write", () => {
    const dir = mkdtempSync(join(tmpdir(), "tree-secret-"));
    loadOrCreateSecret(dir);
    chmodSync(join(dir, secretFileName), 0o644);
    loadOrCreateSecret(dir);
    expect(statSync(join(dir, secretFileName)).mode & 0o777).toBe(0o600);
    writeFileSync(join(dir, secretFileName), "guessable\n");
    expect(() => loadOrCreateSecret(dir)).toThrow(/delete it/);
  });

  it("replaces an empty file (a first start that lost power) and leaves no temp file behind", () => {
    const dir = mkdtempSync(join(tmpdir(), "tree-secret-"));
    writeFileSync(join(dir, secretFileName), "", { mode: 0o600 });
    const secret = loadOrCreateSecret(dir);
    expect(secret).toMatch(/^[0-9a-f]{64}$/);
    expect(loadOrCreateSecret(dir)).toBe(secret);
    expect(readdirSync(dir)).toEqual([secretFileName]);
  });
});

describe("user ids", () => {
  const secret = "1".repeat(64);

  it("fingerprints address and browser under the secret", () => {
    const id = fingerprintUserId(secret, "10.0.0.1", "Firefox");
    expect(isUserId(id)).toBe(true);
    expect(fingerprintUserId(secret, "10.0.0.1", "Firefox")).toBe(id);
    expect(fingerprintUserId(secret, "10.0.0.2", "Firefox")).not.toBe(id);
    expect(fingerprintUserId(secret, "10.0.0.1", "Chrome")).not.toBe(id);
    expect(fingerprintUserId("2".repeat(64), "10.0.0.1", "Firefox")).not.toBe(id);
  });

  it("verifies only cookies signed with this secret", async () => {
    const cookies = new UserIdCookies(secret);
    const ids = { userId: fingerprintUserId(secret, "10.0.0.1", "Firefox"), ownerId: newOwnerId() };
    const signed = await cookies.sign(ids);
    expect(await cookies.verify(signed)).toEqual(ids);
    expect(await new UserIdCookies("3".repeat(64)).verify(signed)).toBeNull();
    expect(await cookies.verify(signed.replace(ids.ownerId, "f".repeat(32)))).toBeNull();
    expect(await cookies.verify(signed.replace(ids.userId, "f".repeat(32)))).toBeNull();
    expect(await cookies.verify(ids.userId)).toBeNull();
    expect(await cookies.verify(await signCookie("not an id", secret))).toBeNull();
    expect(await cookies.verify(await signCookie(`${ids.userId}-${ids.ownerId}-${ids.ownerId}`, secret))).toBeNull();
    expect(await cookies.verify(await signCookie(`${ids.userId}-XYZ`, secret))).toBeNull();
    expect(await cookies.verify({ id: ids.userId })).toBeNull();
    expect(await cookies.verify(undefined)).toBeNull();
  });

  it("still reads a cookie from before owner ids: its user id, and no owner", async () => {
    const cookies = new UserIdCookies(secret);
    const userId = fingerprintUserId(secret, "10.0.0.1", "Firefox");
    expect(await cookies.verify(await signCookie(userId, secret))).toEqual({ userId, ownerId: null });
  });

  it("makes owner ids at random, never from the fingerprint", () => {
    const a = newOwnerId();
    expect(isOwnerId(a)).toBe(true);
    expect(newOwnerId()).not.toBe(a);
  });
});

describe("ownership", () => {
  const secret = "4".repeat(64);
  const identity = new UserIdCookies(secret);
  const request = (cookie?: string) => new Request("http://tree.test/", cookie === undefined ? {} : { headers: { cookie } });

  it("reads the owner id from the request's signed cookie, and nothing from a request without one", async () => {
    const ids = { userId: "a".repeat(32), ownerId: newOwnerId() };
    const signed = await identity.sign(ids);
    expect(await ownerIdOf({ identity }, request(`theme=dark; ${userIdCookieName}=${encodeURIComponent(signed)}`))).toBe(ids.ownerId);
    expect(await ownerIdOf({ identity }, request())).toBeNull();
    expect(await ownerIdOf({ identity }, request(`${userIdCookieName}=%E0%A4%A`))).toBeNull();
    expect(await ownerIdOf({ identity }, request(`${userIdCookieName}=${encodeURIComponent(await signCookie(ids.userId, secret))}`))).toBeNull();
    expect(cookieValue(request("a=1; b = two%20words"), "b")).toBe("two words");
  });

  it("gives a record without an owner id to nobody", () => {
    const ownerId = newOwnerId();
    expect(owns({ owner_id: ownerId }, ownerId)).toBe(true);
    expect(owns({ owner_id: ownerId }, newOwnerId())).toBe(false);
    expect(owns({ owner_id: ownerId }, null)).toBe(false);
    expect(owns({}, ownerId)).toBe(false);
  });
});
