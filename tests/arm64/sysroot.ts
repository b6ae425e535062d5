/**
 * An arm64 Debian root for `qemu-aarch64-static -L`, made once with
 * debootstrap's first stage (--foreign: it only downloads and unpacks, so it
 * needs no emulation) and cached. The first stage already holds glibc and the
 * dynamic loader, which is all the Bun binaries and libtreews281x need.
 *
 * CI runs a clean clone on the same machine, so the cache lives outside the
 * clone when that is writable, keyed by `sysrootKey`; .cache/ in the clone is
 * the fallback. Change the key to force a rebuild.
 */
import { existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";

export const sysrootKey = "bookworm-arm64-minbase-foreign-v1";
export const sharedCacheDir = "/var/cache/tree-arm64-sysroot";
export const cloneCacheDir = resolve(import.meta.dir, "../../.cache/arm64-sysroot");
const mirror = process.env.TREE_DEBIAN_MIRROR || "http://deb.debian.org/debian";
const completeMarker = ".tree-sysroot-complete";

/** What proves a directory is a usable sysroot. */
function usable(dir: string): boolean {
  return existsSync(join(dir, completeMarker)) && existsSync(join(dir, "lib", "ld-linux-aarch64.so.1"));
}

function writable(dir: string): boolean {
  try {
    mkdirSync(dir, { recursive: true });
    const probe = join(dir, `.probe-${process.pid}`);
    writeFileSync(probe, "");
    rmSync(probe);
    return true;
  } catch {
    return false;
  }
}

/** Returns a usable sysroot path, building it (≈ 1 min, ~220 MB) if no cache has one. */
export function ensureSysroot(log: (line: string) => void): string {
  const candidates = [join(sharedCacheDir, sysrootKey), join(cloneCacheDir, sysrootKey)];
  const cached = candidates.find(usable);
  if (cached !== undefined) {
    log(`sysroot: cached ${cached}`);
    return cached;
  }
  if (Bun.which("debootstrap") === null) throw new Error("debootstrap not found: run node scripts/setup.mjs arm64");
  const target = writable(sharedCacheDir) ? candidates[0]! : candidates[1]!;
  const partial = `${target}.partial-${process.pid}`;
  mkdirSync(resolve(partial, ".."), { recursive: true });
  log(`sysroot: debootstrap --arch=arm64 --foreign --variant=minbase bookworm → ${target} (first run only)`);
  const started = performance.now();
  const result = Bun.spawnSync(
    ["debootstrap", "--arch=arm64", "--foreign", "--variant=minbase", "bookworm", partial, mirror],
    { stdout: "pipe", stderr: "pipe" },
  );
  if (result.exitCode !== 0) {
    rmSync(partial, { recursive: true, force: true });
    throw new Error(`debootstrap failed (exit ${result.exitCode}; needs root and ${mirror}):\n${result.stderr.toString().slice(-2000)}`);
  }
  // The downloaded .debs are only needed by the second stage, which we never run.
  rmSync(join(partial, "var", "cache", "apt", "archives"), { recursive: true, force: true });
  writeFileSync(join(partial, completeMarker), `${sysrootKey}\n`);
  rmSync(target, { recursive: true, force: true });
  renameSync(partial, target);
  log(`sysroot: ready in ${((performance.now() - started) / 1000).toFixed(0)} s`);
  return target;
}
