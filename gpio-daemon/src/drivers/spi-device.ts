/**
 * The SPI output: a spidev node set up with three ioctls through libc (bun:ffi;
 * no addon, no root: the `spi` group may write /dev/spidev0.0), then one write()
 * per frame, because a pause longer than the latch time mid-frame would latch
 * half a frame. A regular file outside /dev stands in for the device in tests:
 * the ioctls are skipped and each frame overwrites the file.
 */
import { closeSync, constants, fstatSync, openSync, readFileSync, statSync, writeSync } from "node:fs";
import { spiClockHz } from "./spi-encoding.ts";

/** spidev's ioctl numbers: _IOW('k', nr, size), the same on arm64 and x86-64. */
const spiIocWrMode = 0x40016b01;
const spiIocWrBitsPerWord = 0x40016b03;
const spiIocWrMaxSpeedHz = 0x40046b04;

/** Where spidev publishes its largest transfer (default 4096 bytes). */
export const spidevBufsizPath = "/sys/module/spidev/parameters/bufsiz";

export interface SpiOutput {
  readonly path: string;
  /** false when writing a regular file instead of a device. */
  readonly isDevice: boolean;
  write(frame: Uint8Array): void;
  close(): void;
}

export interface OpenSpiOptions {
  /** Bytes of every frame; checked against spidev's bufsiz before the first frame. */
  frameBytes: number;
  /** Overridable for tests. */
  bufsizPath?: string;
}

function errnoCode(error: unknown): string {
  return (error as NodeJS.ErrnoException).code ?? "";
}

function enableHint(path: string): string {
  return `cannot open ${path}: enable SPI with dtparam=spi=on in /boot/firmware/config.txt and reboot (the strip's data line goes on GPIO 10)`;
}

function bufsizHint(path: string, frameBytes: number, bufsiz: number | undefined): string {
  const have = bufsiz === undefined ? "" : ` but spidev's buffer is ${bufsiz} bytes`;
  return `${path}: a frame needs one ${frameBytes}-byte transfer${have}; add spidev.bufsiz=32768 to /boot/firmware/cmdline.txt and reboot`;
}

function readBufsiz(path: string): number | undefined {
  try {
    const value = Number.parseInt(readFileSync(path, "utf8").trim(), 10);
    return Number.isFinite(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Throws when spidev's buffer (read from `bufsizPath`) is smaller than one frame:
 * spidev would refuse every write with EMSGSIZE. Unknown size: no check.
 */
export function checkBufsiz(path: string, frameBytes: number, bufsizPath: string = spidevBufsizPath): void {
  const bufsiz = readBufsiz(bufsizPath);
  if (bufsiz !== undefined && frameBytes > bufsiz) throw new Error(bufsizHint(path, frameBytes, bufsiz));
}

interface Libc {
  ioctlPointer(fd: number, request: number, argument: Uint8Array): number;
  errno(): number;
}

let libc: Libc | undefined;

/** libc's ioctl and errno, loaded on first use so the simulator never touches FFI. */
async function loadLibc(): Promise<Libc> {
  if (libc !== undefined) return libc;
  const { dlopen, FFIType, read } = await import("bun:ffi");
  const lib = dlopen("libc.so.6", {
    ioctl: { args: [FFIType.i32, FFIType.u64, FFIType.ptr], returns: FFIType.i32 },
    __errno_location: { args: [], returns: FFIType.ptr },
  });
  libc = {
    ioctlPointer: (fd, request, argument) => lib.symbols.ioctl(fd, request, argument),
    errno: () => {
      const at = lib.symbols.__errno_location();
      return at === null ? 0 : read.i32(at, 0);
    },
  };
  return libc;
}

const errnoNames: Record<number, string> = { 1: "EPERM", 9: "EBADF", 13: "EACCES", 14: "EFAULT", 22: "EINVAL", 25: "ENOTTY" };

async function configureDevice(fd: number, path: string): Promise<void> {
  const c = await loadLibc();
  const speed = new Uint8Array(4);
  new DataView(speed.buffer).setUint32(0, spiClockHz, true);
  const steps: Array<[string, number, Uint8Array]> = [
    ["SPI_IOC_WR_MODE", spiIocWrMode, Uint8Array.of(0)],
    ["SPI_IOC_WR_BITS_PER_WORD", spiIocWrBitsPerWord, Uint8Array.of(8)],
    ["SPI_IOC_WR_MAX_SPEED_HZ", spiIocWrMaxSpeedHz, speed],
  ];
  for (const [name, request, argument] of steps) {
    if (c.ioctlPointer(fd, request, argument) === 0) continue;
    const errno = c.errno();
    const why = errnoNames[errno] ?? `errno ${errno}`;
    throw new Error(
      errno === 25
        ? `${path} is not an SPI device (ioctl ${name}: ${why}); use /dev/spidev0.0`
        : `${path}: ioctl ${name} failed: ${why}`,
    );
  }
}

/**
 * Opens `path` for frames of `frameBytes` bytes. Throws an Error whose message
 * tells the operator what to change.
 */
export async function openSpiOutput(path: string, options: OpenSpiOptions): Promise<SpiOutput> {
  let kind: "device" | "file" | "missing" | "other";
  try {
    const st = statSync(path);
    kind = st.isCharacterDevice() ? "device" : st.isFile() ? "file" : "other";
  } catch (error) {
    if (errnoCode(error) !== "ENOENT") throw new Error(`cannot open ${path}: ${errnoCode(error) || (error as Error).message}`);
    kind = "missing";
  }
  // Never create a file under /dev: a missing spidev node means SPI is off.
  if (kind === "missing" && path.startsWith("/dev/")) throw new Error(enableHint(path));
  if (kind === "other") throw new Error(`${path} is neither an SPI device nor a regular file`);

  let fd: number;
  try {
    // A stand-in file is opened without following symlinks: a daemon must never truncate
    // whatever a planted link points at.
    fd =
      kind === "device"
        ? openSync(path, constants.O_WRONLY | constants.O_NOCTTY)
        : openSync(path, constants.O_WRONLY | constants.O_CREAT | constants.O_TRUNC | constants.O_NOFOLLOW | constants.O_NOCTTY, 0o644);
  } catch (error) {
    const code = errnoCode(error);
    if (code === "ELOOP") throw new Error(`${path} is a symbolic link: give the file's own path`);
    if (code === "EACCES" || code === "EPERM") {
      throw new Error(`cannot open ${path}: permission denied; run tree-gpio as a user in the "spi" group`);
    }
    if (code === "ENOENT") throw new Error(enableHint(path));
    throw new Error(`cannot open ${path}: ${code || (error as Error).message}`);
  }

  const isDevice = kind === "device";
  try {
    // Re-check the opened descriptor: the path could have been swapped since stat.
    if (fstatSync(fd).isCharacterDevice() !== isDevice) throw new Error(`${path} changed while it was being opened`);
    if (isDevice) {
      await configureDevice(fd, path);
      checkBufsiz(path, options.frameBytes, options.bufsizPath);
    }
  } catch (error) {
    closeSync(fd);
    throw error;
  }

  let open = true;
  return {
    path,
    isDevice,
    write(frame) {
      if (!open) throw new Error(`${path} is closed`);
      let written: number;
      try {
        // A device gets the whole frame in one write(); a file is overwritten from the start.
        written = isDevice ? writeSync(fd, frame) : writeSync(fd, frame, 0, frame.length, 0);
      } catch (error) {
        if (errnoCode(error) === "EMSGSIZE") throw new Error(bufsizHint(path, frame.length, readBufsiz(options.bufsizPath ?? spidevBufsizPath)));
        throw new Error(`writing a frame to ${path} failed: ${errnoCode(error) || (error as Error).message}`);
      }
      if (written !== frame.length) throw new Error(bufsizHint(path, frame.length, readBufsiz(options.bufsizPath ?? spidevBufsizPath)));
    },
    close() {
      if (!open) return;
      open = false;
      closeSync(fd);
    },
  };
}
