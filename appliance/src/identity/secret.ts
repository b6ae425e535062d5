/**
 * The HMAC secret behind every signed cookie and user fingerprint. Generated on
 * first start into the data dir (mode 0600) so cookies survive restarts; a
 * secret anyone else could read would let them forge identities, so a file with
 * looser permissions is tightened, and one that is too short is refused.
 *
 * Made crash-safe: written to a temp file, fsynced, renamed into place, directory fsynced.
 * A power cut during the first start then leaves no secret or a whole one; an empty file
 * (left by an earlier version's start that lost power before its write reached the card)
 * counts as none, since nobody can delete it on an appliance.
 */
import { randomBytes } from "node:crypto";
import { chmodSync, openSync, readFileSync, renameSync, rmSync, statSync, writeSync, closeSync, fsyncSync } from "node:fs";
import { join } from "node:path";

export const secretFileName = "cookie-secret";
export const secretBytes = 32;

export function loadOrCreateSecret(dataDir: string): string {
  const path = join(dataDir, secretFileName);
  if ((readIfPresent(path) ?? "").trim() === "") writeSecret(dataDir, path);
  if ((statSync(path).mode & 0o077) !== 0) chmodSync(path, 0o600);
  const secret = readFileSync(path, "utf8").trim();
  if (!/^[0-9a-f]{64}$/.test(secret)) {
    throw new Error(`${path}: not a secret this app wrote (expected 64 hex digits); delete it to make a new one`);
  }
  return secret;
}

function readIfPresent(path: string): string | undefined {
  try {
    return readFileSync(path, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw error;
  }
}

function writeSecret(dataDir: string, path: string): void {
  const temp = `${path}.${randomBytes(6).toString("hex")}.tmp`;
  const fd = openSync(temp, "wx", 0o600);
  try {
    writeSync(fd, `${randomBytes(secretBytes).toString("hex")}\n`);
    fsyncSync(fd);
  } catch (error) {
    closeSync(fd);
    rmSync(temp, { force: true });
    throw error;
  }
  closeSync(fd);
  renameSync(temp, path);
  const dir = openSync(dataDir, "r");
  try {
    fsyncSync(dir);
  } finally {
    closeSync(dir);
  }
}
