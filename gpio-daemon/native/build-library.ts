/**
 * Builds libtreews281x-linux-<arch>.so: the rpi_ws281x C sources that ship in
 * the rpi-ws281x-native npm package (only its C library, never its NAN addon,
 * which Bun cannot load) plus tree_ws281x.c, the flat ABI the daemon calls
 * through bun:ffi. x64 with the host gcc (for tests off a Pi), arm64 with
 * Debian's gcc-aarch64-linux-gnu.
 */
import { existsSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

export type LibraryArch = "x64" | "arm64";

/** import.meta.url rather than import.meta.dir: vitest does not provide the latter. */
const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, "../..");
export const ws281xSourceDir = join(root, "node_modules/rpi-ws281x-native/src/rpi_ws281x");
/** Ours: the flat ABI, board detection, and rpihw.c wrapped to rename its detection. */
export const shimSources = ["tree_ws281x.c", "board_revision.c", "rpihw_table.c"].map((name) => join(here, name));
/** The library's files minus main.c (its demo program) and rpihw.c (included by rpihw_table.c). */
const librarySources = ["ws2811.c", "pwm.c", "pcm.c", "dma.c", "mailbox.c"];

export const compilers: Record<LibraryArch, string> = { x64: "gcc", arm64: "aarch64-linux-gnu-gcc" };
/** Debian package that provides each compiler, for the error message. */
const compilerPackages: Record<LibraryArch, string> = { x64: "gcc", arm64: "gcc-aarch64-linux-gnu" };

export function libraryFileNameFor(arch: LibraryArch): string {
  return `libtreews281x-linux-${arch}.so`;
}

/** Compiles the library for `arch` into `outFile`; throws with the compiler's output on failure. */
export function buildWs281xLibrary(arch: LibraryArch, outFile: string): void {
  const compiler = compilers[arch];
  if (Bun.which(compiler) === null) {
    throw new Error(`${compiler} not found: install Debian's ${compilerPackages[arch]} (node scripts/setup.mjs build)`);
  }
  const sources = librarySources.map((name) => join(ws281xSourceDir, name));
  const missing = [...shimSources, ...sources].filter((path) => !existsSync(path));
  if (missing.length > 0) throw new Error(`missing C sources (run npm ci): ${missing.join(", ")}`);
  const args = [
    "-O2", "-fPIC", "-shared", "-fvisibility=hidden", "-Wall", "-Wno-unused-parameter",
    // Keep the library free of host paths so the build is reproducible.
    `-ffile-prefix-map=${root}=.`,
    "-Wl,-z,relro,-z,now", "-Wl,--as-needed", "-s",
    `-I${ws281xSourceDir}`, "-o", outFile, ...shimSources, ...sources,
  ];
  const result = Bun.spawnSync([compiler, ...args], { stdout: "pipe", stderr: "pipe" });
  if (result.exitCode !== 0) {
    throw new Error(`${compiler} failed (exit ${result.exitCode}):\n${result.stderr.toString()}${result.stdout.toString()}`);
  }
}

