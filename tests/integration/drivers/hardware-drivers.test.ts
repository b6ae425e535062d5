/**
 * The real tree-gpio process with the hardware drivers on this (x86, not a Pi)
 * machine: the spi driver writing a regular file, ws281x refusing through the
 * real FFI library, and auto falling back to the simulator.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildWs281xLibrary, libraryFileNameFor } from "../../../gpio-daemon/native/build-library.ts";
import { decodeWs2812, spiPulses } from "../../../gpio-daemon/src/drivers/spi-decoding.ts";
import { spiClockHz } from "../../../gpio-daemon/src/drivers/spi-encoding.ts";
import { libraryEnvName } from "../../../gpio-daemon/src/drivers/ws281x-library.ts";
import { LineClient } from "../../../gpio-daemon/src/testing/line-client.ts";
import { runDaemon, spawnDaemon } from "../gpio-daemon/daemon-process.ts";

const dir = mkdtempSync(join(tmpdir(), "hardware-drivers-"));
const library = join(dir, libraryFileNameFor("x64"));
beforeAll(() => buildWs281xLibrary("x64", library));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function shown(path: string): number[] {
  const decoded = decodeWs2812(spiPulses(new Uint8Array(readFileSync(path)), spiClockHz));
  if (!decoded.ok) throw new Error(decoded.error);
  return [...decoded.bytes];
}

describe("tree-gpio --driver spi into a regular file", () => {
  it.each([
    ["GRB", [0, 200, 0, 100, 0, 0, 0, 0, 50]],
    ["RGBW", [200, 0, 0, 0, 0, 100, 0, 0, 0, 0, 50, 0]],
  ] as const)("a %s strip receives the frame in its order, and is dark after the writer leaves", async (order, expected) => {
    const file = join(dir, `spi-${order}.bin`);
    const daemon = await spawnDaemon(["--driver", "spi", "--spi-device", file, "--led-count", "3", "--color-order", order]);
    try {
      expect(daemon.stderr()).toContain(`spi: 3 ${order} LEDs on ${file} (a regular file, not a device)`);
      const client = await LineClient.open(daemon.socket);
      expect(await client.request("[[200,0,0,100],[0,100,0,100],[0,0,50,100]]")).toMatchObject({ ok: true });
      expect(shown(file)).toEqual(expected);
      await client.close();
      daemon.process.kill("SIGTERM");
      expect(await daemon.exited).toBe(0);
      expect(shown(file).every((byte) => byte === 0)).toBe(true);
    } finally {
      await daemon.cleanup();
    }
  });

  it("refuses to start without SPI and says how to enable it", () => {
    const result = runDaemon(["--driver", "spi", "--spi-device", "/dev/spidev-tree-absent", "--socket", join(dir, "absent.sock")]);
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toContain("cannot open /dev/spidev-tree-absent: enable SPI with dtparam=spi=on");
  });
});

describe("tree-gpio --driver ws281x off a Pi", () => {
  it('loads the library and stops with "not a Raspberry Pi"', () => {
    const result = runDaemon(["--driver", "ws281x", "--socket", join(dir, "ws.sock")], { [libraryEnvName]: library });
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toMatch(/ws281x: not a Raspberry Pi \(.*\); use --driver simulator off a Pi/);
  });

  it("names the missing library", () => {
    const missing = join(dir, "missing.so");
    const result = runDaemon(["--driver", "ws281x", "--socket", join(dir, "ws2.sock")], { [libraryEnvName]: missing });
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toContain(`cannot find libtreews281x-linux-x64.so for --driver ws281x (looked in ${missing})`);
  });
});

describe("tree-gpio --driver auto", () => {
  it("uses the simulator off a Pi and logs why", async () => {
    const daemon = await spawnDaemon(["--driver", "auto", "--led-count", "2"]);
    try {
      expect(daemon.stderr()).toContain("driver auto: no device-tree model: not a Raspberry Pi, using the simulator");
      const client = await LineClient.open(daemon.socket);
      expect(await client.request('{"type":"info"}')).toMatchObject({ ok: true, driver: "simulator" });
      await client.close();
    } finally {
      await daemon.cleanup();
    }
  });
});
