import { mkdtempSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { Strip } from "../strip.ts";
import { runDriverConformance } from "./driver.conformance.ts";
import { bytesPerLed, type ColorOrder } from "./driver.ts";
import { SpiDriver } from "./spi.ts";
import { checkBufsiz } from "./spi-device.ts";
import { decodeWs2812, spiPulses } from "./spi-decoding.ts";
import { spiClockHz, spiFrameLength } from "./spi-encoding.ts";

const dir = mkdtempSync(join(tmpdir(), "spi-driver-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let files = 0;
const nextFile = () => join(dir, `spi-${files++}.bin`);

/** What the LEDs would read from the file's bitstream. */
function shownBytes(path: string): Uint8Array {
  const decoded = decodeWs2812(spiPulses(new Uint8Array(readFileSync(path)), spiClockHz));
  if (!decoded.ok) throw new Error(decoded.error);
  return decoded.bytes;
}

async function open(colorOrder: ColorOrder, ledCount: number, spiDevice = nextFile()) {
  return { path: spiDevice, driver: await SpiDriver.open({ ledCount, colorOrder, gpioPin: 10, spiDevice }) };
}

describe("SpiDriver on a regular file", () => {
  it.each<ColorOrder>(["GRB", "RGBW"])("writes one decodable frame per render for %s strips", async (order) => {
    const { path, driver } = await open(order, 5);
    const wire = new Uint8Array(5 * bytesPerLed(order)).map((_, i) => 10 + i * 9);
    driver.render(wire);
    expect(readFileSync(path).length).toBe(spiFrameLength(wire.length));
    expect(shownBytes(path)).toEqual(wire);
    driver.close();
  });

  it("starts dark, shows the latest frame only, and is dark after close", async () => {
    const { path, driver } = await open("GRB", 3);
    expect(shownBytes(path)).toEqual(new Uint8Array(9));
    driver.render(new Uint8Array(9).fill(200));
    driver.render(new Uint8Array(9).fill(7));
    expect(shownBytes(path)).toEqual(new Uint8Array(9).fill(7));
    driver.close();
    expect(shownBytes(path)).toEqual(new Uint8Array(9));
  });

  it("refuses a frame of the wrong length and still turns off afterwards", async () => {
    const { path, driver } = await open("GRB", 4);
    expect(() => driver.render(new Uint8Array(11))).toThrow(/expected 12 wire bytes, got 11/);
    driver.render(new Uint8Array(12).fill(1));
    driver.allOff();
    expect(shownBytes(path)).toEqual(new Uint8Array(12));
    driver.close();
  });
});

describe("SpiDriver fails with a message an operator can act on", () => {
  it("a missing spidev node asks for dtparam=spi=on and creates nothing in /dev", async () => {
    const path = `/dev/spidev-tree-test-${process.pid}`;
    await expect(open("GRB", 3, path)).rejects.toThrow(`cannot open ${path}: enable SPI with dtparam=spi=on`);
  });

  it("a character device that is not SPI fails at the first ioctl (real ioctl through bun:ffi)", async () => {
    await expect(open("GRB", 3, "/dev/null")).rejects.toThrow("/dev/null is not an SPI device (ioctl SPI_IOC_WR_MODE: ENOTTY)");
  });

  it("refuses to write a stand-in file through a symbolic link", async () => {
    const target = join(dir, "precious.txt");
    writeFileSync(target, "keep me");
    const link = join(dir, "planted-link.bin");
    symlinkSync(target, link);
    await expect(open("GRB", 3, link)).rejects.toThrow(`${link} is a symbolic link`);
    expect(readFileSync(target, "utf8")).toBe("keep me");
  });

  it("a directory is refused", async () => {
    const path = join(dir, "a-directory");
    mkdirSync(path);
    await expect(open("GRB", 3, path)).rejects.toThrow("neither an SPI device nor a regular file");
  });

  it("a frame larger than spidev's buffer names spidev.bufsiz", () => {
    const bufsizFile = join(dir, "bufsiz");
    writeFileSync(bufsizFile, "4096\n");
    const frameBytes = spiFrameLength(500 * 3);
    expect(() => checkBufsiz("/dev/spidev0.0", frameBytes, bufsizFile)).toThrow(
      `/dev/spidev0.0: a frame needs one ${frameBytes}-byte transfer but spidev's buffer is 4096 bytes; add spidev.bufsiz=32768`,
    );
    expect(() => checkBufsiz("/dev/spidev0.0", 4096, bufsizFile)).not.toThrow();
    expect(() => checkBufsiz("/dev/spidev0.0", 1 << 20, join(dir, "no-such-file"))).not.toThrow();
  });
});

runDriverConformance("spi", {
  async create(options) {
    const path = nextFile();
    const driver = await SpiDriver.open({ ...options, spiDevice: path });
    return { driver, shown: () => shownBytes(path) };
  },
});

describe("colour order through the daemon's strip path (limiter → colour order → spi)", () => {
  const settings = { brightnessCapPercent: 100, psuAmps: 100, reserveMilliamps: 0, milliampsPerLed: 60, idleMilliampsPerLed: 1 };
  // Visitor's [R, G, B, L] states: red, green, blue at full level.
  const frame = Uint8Array.of(255, 0, 0, 100, 0, 255, 0, 100, 0, 0, 255, 100);

  it.each([
    ["GRB", [0, 255, 0, 255, 0, 0, 0, 0, 255]],
    ["RGB", [255, 0, 0, 0, 255, 0, 0, 0, 255]],
    ["BGR", [0, 0, 255, 0, 255, 0, 255, 0, 0]],
    ["GRBW", [0, 255, 0, 0, 255, 0, 0, 0, 0, 0, 255, 0]],
  ] as const)("%s strips receive the colours in their order on the wire", async (order, expected) => {
    const { path, driver } = await open(order, 3);
    const strip = new Strip(driver, { ...settings, ledCount: 3, colorOrder: order });
    await strip.show(frame);
    expect([...shownBytes(path)]).toEqual(expected);
    driver.close();
  });

  it("RGBW strips light the white chip for white", async () => {
    const { path, driver } = await open("RGBW", 1);
    const strip = new Strip(driver, { ...settings, ledCount: 1, colorOrder: "RGBW" });
    await strip.show(Uint8Array.of(200, 200, 200, 100));
    expect([...shownBytes(path)]).toEqual([0, 0, 0, 200]);
    driver.close();
  });
});
