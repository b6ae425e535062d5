/**
 * The HMAC secret behind every signed cookie and user fingerprint. Generated on
 * first start into the data dir (mode 0600) so cookies survive restarts; a
 * secret anyone else could read would let them forge identities, so a file with
 * looser permissions is tightened, and one that is too short is refused.
 */
import { randomBytes } from "node:crypto";
import { chmodSync, openSync, readFileSync, statSync, writeSync, closeSync, fsyncSync } from "node:fs";
import { join } from "node:path";

export const secretFileName = "cookie-secret";
export const secretBytes = 32;

export function loadOrCreateSecret(dataDir: string): string {
  const path = join(dataDir, secretFileName);
  try {
    const fd = openSync(path, "wx", 0o600);
    try {
      writeSync(fd, `${randomBytes(secretBytes).toString("hex")}\n`);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
  }
  if ((statSync(path).mode & 0o077) !== 0) chmodSync(path, 0o600);
  const secret = readFileSync(path, "utf8").trim();
  if (!/^[0-9a-f]{64}$/.test(secret)) {
    throw new Error(`${path}: not a secret this app wrote (expected 64 hex digits); delete it to make a new one`);
  }
  return secret;
}
