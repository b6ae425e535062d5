/**
 * The ws281x binding off a Pi: the real shared library, built from the same C
 * sources as the Pi's, loaded through bun:ffi. It must refuse cleanly, never
 * crash, and its byte packing must send wire bytes in the order given.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildWs281xLibrary, libraryFileNameFor } from "../../native/build-library.ts";
import { classifyBoard } from "./detect-board.ts";
import { runDriverConformance } from "./driver.conformance.ts";
import { bytesPerLed } from "./driver.ts";
import { knownWs281xCodes, ws281xFailure } from "./ws281x-codes.ts";
import { libraryEnvName, loadWs281xLibrary, type Ws281xLibrary } from "./ws281x-library.ts";
import { Ws281xDriver } from "./ws281x.ts";

const dir = mkdtempSync(join(tmpdir(), "ws281x-"));
const libraryPath = join(dir, libraryFileNameFor("x64"));
let lib: Ws281xLibrary;

beforeAll(async () => {
  buildWs281xLibrary("x64", libraryPath);
  lib = await loadWs281xLibrary(libraryPath);
});
afterAll(() => {
  lib?.close();
  rmSync(dir, { recursive: true, force: true });
});

const base = { ledCount: 10, colorOrder: "GRB" as const, gpioPin: 18, ws281xLibrary: libraryPath };

describe("the library through bun:ffi", () => {
  it("does not recognise this machine as a Pi, and init says why with a known code", () => {
    expect(lib.boardKnown()).toBe(false);
    const rc = lib.init(18, 10, 3, 10, 255);
    expect(rc).toBe(-3);
    expect(ws281xFailure(rc).code).toBe("HW_NOT_SUPPORTED");
    expect(lib.returnText(rc)).toBe("Hardware revision is not supported");
  });

  it("rejects bad arguments before touching hardware, and render before init", () => {
    expect(lib.init(18, 0, 3, 10, 255)).toBe(-100);
    expect(lib.init(18, 10, 5, 10, 255)).toBe(-100);
    expect(lib.init(18, 10, 3, 15, 255)).toBe(-100);
    expect(lib.render(new Uint8Array(30))).toBe(-101);
    expect(ws281xFailure(-101).code).toBe("NOT_STARTED");
  });

  it("packs wire bytes so byte 0 goes out first (as R of an RGB strip type), W in the top byte", () => {
    expect([...lib.pack(Uint8Array.of(1, 2, 3, 0xaa, 0xbb, 0xcc), 3)]).toEqual([0x010203, 0xaabbcc]);
    expect([...lib.pack(Uint8Array.of(1, 2, 3, 4), 4)]).toEqual([0x04010203]);
    expect(() => lib.pack(Uint8Array.of(1, 2), 3)).toThrow(/returned -100/);
  });
});

describe("board revisions the bundled rpi_ws281x table lacks", () => {
  it.each([
    [0x902120, "Zero 2 W", 2, 0x3f000000],
    [0xa02082, "Pi 3 B", 2, 0x3f000000],
    [0xd03115, "Pi 4 B 8GB rev 1.5", 3, 0xfe000000],
    [0xb03115, "Pi 4 B 2GB rev 1.5", 3, 0xfe000000],
    [0xc03131, "Pi 400 rev 1.1", 3, 0xfe000000],
    [0xd03141, "CM4 8GB rev 1.1", 3, 0xfe000000],
  ])("decodes %s (%s) from its processor field", (revision, _name, family, periphBase) => {
    expect(lib.decodeRevision(revision)).toEqual({ family, periphBase });
  });

  it.each([
    [0xd04170, "Pi 5 8GB (BCM2712: no PWM/DMA path in rpi_ws281x)"],
    [0x000010, "an old-style code (the library's own table handles these)"],
  ])("does not decode %s: %s", (revision) => {
    expect(lib.decodeRevision(revision)).toBeUndefined();
  });
});

describe("Ws281xDriver fails cleanly off a Pi", () => {
  it('says "not a Raspberry Pi" on this machine', async () => {
    // The real detection: this machine has neither a Pi revision nor a device-tree model.
    await expect(Ws281xDriver.open(base)).rejects.toThrow(/^ws281x: not a Raspberry Pi \(.*\); use --driver simulator off a Pi/);
    await expect(Ws281xDriver.open({ ...base, board: classifyBoard("Pine64 RockPro64 v2.1") })).rejects.toThrow(
      "ws281x: not a Raspberry Pi (Pine64 RockPro64 v2.1); use --driver simulator off a Pi",
    );
  });

  it("points a Pi 5 to the spi driver", async () => {
    await expect(Ws281xDriver.open({ ...base, board: classifyBoard("Raspberry Pi 5 Model B Rev 1.0") })).rejects.toThrow(
      "does not support the Raspberry Pi 5 Model B Rev 1.0: use --driver spi",
    );
  });

  it("refuses GPIO 10 and other pins rpi_ws281x cannot drive", async () => {
    await expect(Ws281xDriver.open({ ...base, gpioPin: 10 })).rejects.toThrow("GPIO 10 is SPI: use --driver spi");
    await expect(Ws281xDriver.open({ ...base, gpioPin: 4 })).rejects.toThrow("GPIO 4 cannot drive the strip; use 12, 13, 18, 19, 21");
  });

  it("names every place it looked when the library is missing", async () => {
    const missing = join(dir, "nowhere", "libtreews281x-linux-x64.so");
    await expect(Ws281xDriver.open({ ...base, ws281xLibrary: missing })).rejects.toThrow(
      `cannot find libtreews281x-linux-x64.so for --driver ws281x (looked in ${missing}): put it beside tree-gpio, set ${libraryEnvName}, or run npm run build`,
    );
    await expect(loadWs281xLibrary(undefined, { [libraryEnvName]: missing })).rejects.toThrow(`looked in ${missing}`);
  });

  it("reports a file that is not a loadable library", async () => {
    const bogus = join(dir, "bogus.so");
    writeFileSync(bogus, "not an ELF file\n");
    await expect(loadWs281xLibrary(bogus)).rejects.toThrow(`cannot load ${bogus}`);
  });
});

describe("ws281xFailure", () => {
  it("has an operator-facing message for every code ws2811.h defines (0 … -14) and the shim's own", () => {
    for (let rc = -1; rc >= -14; rc--) expect(knownWs281xCodes).toContain(rc);
    expect(ws281xFailure(-5).message).toMatch(/needs root \(CAP_SYS_RAWIO\) for \/dev\/mem/);
    expect(ws281xFailure(-8).message).toMatch(/snd_bcm2835/);
  });

  it("keeps unknown codes visible and appends errno", () => {
    expect(ws281xFailure(-42, 0, "mystery")).toEqual({ code: "RC_-42", message: "rpi_ws281x returned -42: mystery" });
    expect(ws281xFailure(-6, 13).message).toMatch(/\(errno 13\)$/);
  });
});

/**
 * The driver's contract with a library that "initialises" like a Pi would and
 * records each frame as the real shim packs it for rpi_ws281x; unpacking the
 * words shows the byte order the LEDs would receive.
 */
runDriverConformance("ws281x (real packing, simulated hardware)", {
  async create(options) {
    const channels = bytesPerLed(options.colorOrder);
    let words = new Uint32Array(options.ledCount);
    const recording: Ws281xLibrary = {
      ...lib,
      path: "recording",
      boardKnown: () => true,
      init: (gpio, count, channelsPerLed, dma, brightness) =>
        gpio === options.gpioPin && count === options.ledCount && channelsPerLed === channels && dma === 10 && brightness === 255 ? 0 : -100,
      render: (wire) => {
        words = lib.pack(wire, channels).slice();
        return 0;
      },
      fini: () => {},
      close: () => {},
    };
    const driver = await Ws281xDriver.open({ ...options, library: recording });
    const shown = () => {
      const out = new Uint8Array(words.length * channels);
      words.forEach((w, i) => {
        out.set([(w >>> 16) & 255, (w >>> 8) & 255, w & 255, w >>> 24].slice(0, channels), i * channels);
      });
      return out;
    };
    return { driver, shown };
  },
});
