/**
 * Finds and loads libtreews281x (gpio-daemon/native/: rpi_ws281x's C sources
 * plus a flat C shim) through bun:ffi. The library ships as a file beside the
 * tree-gpio binary rather than embedded: dlopen() cannot read Bun's embedded
 * files, so an embedded copy would have to be extracted to an exec-allowed
 * $TMPDIR at every start, which a read-only container or a noexec /tmp breaks.
 */
import { existsSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

/** Bumped with the C side's tree_ws281x_abi_version() whenever a signature changes. */
export const ws281xAbiVersion = 1;

export const libraryEnvName = "TREE_WS281X_LIBRARY";

export function libraryFileName(arch: string = process.arch): string {
  return `libtreews281x-linux-${arch}.so`;
}

/** Where to look, in order: an explicit path, the environment, beside the binary, the repository's dist/. */
export function libraryCandidates(explicit?: string, env: Record<string, string | undefined> = process.env): string[] {
  if (explicit) return [resolve(explicit)];
  const fromEnv = env[libraryEnvName];
  if (fromEnv) return [resolve(fromEnv)];
  const name = libraryFileName();
  const beside = join(dirname(process.execPath), name);
  const here = dirname(fileURLToPath(import.meta.url));
  // Inside a compiled binary this module sits in Bun's virtual /$bunfs: there is no repository.
  if (here.startsWith("/$bunfs")) return [beside];
  return [beside, resolve(here, "../../../dist", name)];
}

export interface Ws281xLibrary {
  readonly path: string;
  boardKnown(): boolean;
  init(gpio: number, count: number, channelsPerLed: number, dma: number, brightness: number): number;
  render(wire: Uint8Array): number;
  /** The words render() hands rpi_ws281x (0xWWRRGGBB), for tests off a Pi. */
  pack(wire: Uint8Array, channelsPerLed: number): Uint32Array;
  fini(): void;
  lastErrno(): number;
  returnText(rc: number): string;
  /**
   * What the C side makes of a board revision code its table lacks: the family
   * (1 Pi 1, 2 Pi 2/3, 3 Pi 4) and peripheral base, or undefined if unsupported.
   */
  decodeRevision(revision: number): { family: number; periphBase: number } | undefined;
  close(): void;
}

export class Ws281xLibraryError extends Error {}

/** Loads the library or throws a Ws281xLibraryError naming every place it looked. */
export async function loadWs281xLibrary(explicit?: string, env?: Record<string, string | undefined>): Promise<Ws281xLibrary> {
  const candidates = libraryCandidates(explicit, env);
  const path = candidates.find((candidate) => existsSync(candidate));
  if (path === undefined) {
    throw new Ws281xLibraryError(
      `cannot find ${libraryFileName()} for --driver ws281x (looked in ${candidates.join(", ")}): ` +
        `put it beside tree-gpio, set ${libraryEnvName}, or run npm run build`,
    );
  }
  const { dlopen, FFIType } = await import("bun:ffi");
  const symbols = {
    tree_ws281x_abi_version: { args: [], returns: FFIType.i32 },
    tree_ws281x_board_known: { args: [], returns: FFIType.i32 },
    tree_ws281x_last_errno: { args: [], returns: FFIType.i32 },
    tree_ws281x_init: { args: [FFIType.i32, FFIType.i32, FFIType.i32, FFIType.i32, FFIType.i32], returns: FFIType.i32 },
    tree_ws281x_render: { args: [FFIType.ptr, FFIType.i32], returns: FFIType.i32 },
    tree_ws281x_pack: { args: [FFIType.ptr, FFIType.i32, FFIType.i32, FFIType.ptr], returns: FFIType.i32 },
    tree_ws281x_fini: { args: [], returns: FFIType.void },
    tree_ws281x_return_text: { args: [FFIType.i32], returns: FFIType.cstring },
    tree_ws281x_decode_revision: { args: [FFIType.u32, FFIType.ptr, FFIType.ptr, FFIType.ptr], returns: FFIType.i32 },
  } as const;
  let lib: ReturnType<typeof dlopen<typeof symbols>>;
  try {
    lib = dlopen(path, symbols);
  } catch (error) {
    throw new Ws281xLibraryError(`cannot load ${path}: ${(error as Error).message} (is it built for ${process.arch}?)`);
  }
  const s = lib.symbols;
  const abi = s.tree_ws281x_abi_version();
  if (abi !== ws281xAbiVersion) {
    lib.close();
    throw new Ws281xLibraryError(`${path} has ABI version ${abi}, this tree-gpio needs ${ws281xAbiVersion}: use the library built with this binary`);
  }
  return {
    path,
    boardKnown: () => s.tree_ws281x_board_known() !== 0,
    init: (gpio, count, channelsPerLed, dma, brightness) => s.tree_ws281x_init(gpio, count, channelsPerLed, dma, brightness),
    render: (wire) => s.tree_ws281x_render(wire, wire.length),
    pack: (wire, channelsPerLed) => {
      const out = new Uint32Array(Math.max(1, Math.floor(wire.length / channelsPerLed)));
      const count = s.tree_ws281x_pack(wire, wire.length, channelsPerLed, out);
      if (count < 0) throw new Ws281xLibraryError(`tree_ws281x_pack returned ${count}`);
      return out.subarray(0, count);
    },
    fini: () => s.tree_ws281x_fini(),
    lastErrno: () => s.tree_ws281x_last_errno(),
    returnText: (rc) => String(s.tree_ws281x_return_text(rc)),
    decodeRevision: (revision) => {
      const family = new Uint32Array(1);
      const periphBase = new Uint32Array(1);
      const videocoreBase = new Uint32Array(1);
      if (s.tree_ws281x_decode_revision(revision, family, periphBase, videocoreBase) === 0) return undefined;
      return { family: family[0]!, periphBase: periphBase[0]! };
    },
    close: () => lib.close(),
  };
}
