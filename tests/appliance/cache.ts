/**
 * Where the emulator test keeps what is slow to make (the arm64 root filesystem, the
 * saved images, the disk) between runs on the same machine: CI is a fresh clone on
 * the same machine, so the cache lives outside the clone. Every entry is named by a
 * hash of its inputs, is built in a `.partial` directory and renamed into place only
 * when complete, so an interrupted build never looks finished.
 */
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync } from "node:fs";
import { join } from "node:path";

export const cacheRoot = process.env.TREE_EMU_CACHE || "/var/cache/tree-appliance-emu";
/** Entries kept per kind: the current one and the one before (a branch switch back costs nothing). */
const keptPerKind = 2;

/** A short hash of strings and the contents of files and directories (sorted walk). */
export function inputsHash(parts: readonly (string | { path: string })[]): string {
  const hash = createHash("sha256");
  for (const part of parts) {
    if (typeof part === "string") hash.update(`s:${part}\n`);
    else hashPath(hash, part.path);
  }
  return hash.digest("hex").slice(0, 16);
}

function hashPath(hash: ReturnType<typeof createHash>, path: string): void {
  const stat = statSync(path);
  if (stat.isDirectory()) {
    for (const name of readdirSync(path).sort()) hashPath(hash, join(path, name));
    return;
  }
  hash.update(`f:${path} ${(stat.mode & 0o777).toString(8)}\n`);
  hash.update(readFileSync(path));
}

/**
 * Returns the cache directory `<kind>-<key>`, calling `build(dir)` to fill it first when
 * it is not there yet. Older entries of the same kind beyond `keptPerKind` are removed.
 */
export async function cached(kind: string, key: string, build: (dir: string) => Promise<void> | void, log: (line: string) => void): Promise<string> {
  mkdirSync(cacheRoot, { recursive: true });
  const dir = join(cacheRoot, `${kind}-${key}`);
  if (existsSync(dir)) {
    log(`${kind}: cached ${dir}`);
    return dir;
  }
  const partial = `${dir}.partial`;
  rmSync(partial, { recursive: true, force: true });
  mkdirSync(partial, { recursive: true });
  try {
    await build(partial);
  } catch (error) {
    rmSync(partial, { recursive: true, force: true });
    throw error;
  }
  renameSync(partial, dir);
  prune(kind, dir);
  return dir;
}

function prune(kind: string, keep: string): void {
  const entries = readdirSync(cacheRoot)
    .filter((name) => name.startsWith(`${kind}-`) && !name.endsWith(".partial"))
    .map((name) => join(cacheRoot, name))
    .filter((path) => path !== keep)
    .sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs);
  for (const old of entries.slice(keptPerKind - 1)) rmSync(old, { recursive: true, force: true });
}

/** Where background builds write their logs (kept after a failure, unlike `.partial`). */
export function logDir(): string {
  const dir = join(cacheRoot, "logs");
  mkdirSync(dir, { recursive: true });
  return dir;
}

/** mmdebstrap options that leave out documentation and translations, as debian:*-slim does. */
export const undocumented = [
  "--dpkgopt=path-exclude=/usr/share/man/*", "--dpkgopt=path-exclude=/usr/share/doc/*", "--dpkgopt=path-exclude=/usr/share/locale/*",
  "--dpkgopt=path-include=/usr/share/doc/*/copyright",
];
