import { mkdtempSync, statSync, writeFileSync, chmodSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadOrCreateSecret, secretFileName } from "./secret.ts";
import { fingerprintUserId, isUserId, UserIdCookies } from "./user-id.ts";

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
    const id = fingerprintUserId(secret, "10.0.0.1", "Firefox");
    const signed = await cookies.sign(id);
    expect(await cookies.verify(signed)).toBe(id);
    expect(await new UserIdCookies("3".repeat(64)).verify(signed)).toBeNull();
    const otherId = "f".repeat(32);
    expect(await cookies.verify(signed.replace(id, otherId))).toBeNull();
    expect(await cookies.verify(id)).toBeNull();
    expect(await cookies.verify(await cookies.sign("not an id"))).toBeNull();
    expect(await cookies.verify({ id })).toBeNull();
    expect(await cookies.verify(undefined)).toBeNull();
  });
});
