/**
 * Behaviour every LED driver must show, as one suite each driver's test calls
 * with its own factory (`runDriverConformance(...)` from `simulator.test.ts`,
 * `spi.test.ts`, ...). Not named *.test.ts: vitest must not run it on its own.
 * Where a driver legitimately differs, it passes `skip` with the reason, which
 * is printed as the test's name so every exception stays visible.
 */
import { afterEach, describe, expect, it } from "vitest";
import { bytesPerLed, colorOrders, type ColorOrder, type DriverOptions, type LedDriver } from "./driver.ts";

export interface DriverUnderTest {
  driver: LedDriver;
  /** The bytes the strip shows now, in wire order; undefined when the driver cannot tell. */
  shown(): Uint8Array | undefined | Promise<Uint8Array | undefined>;
}

export type ConformanceCase = "renders" | "copies" | "wrong-length" | "all-off" | "off-after-failure" | "close" | "color-orders";

export interface ConformanceOptions {
  /** Builds a fresh driver for `options`; called once per test. */
  create(options: DriverOptions): Promise<DriverUnderTest>;
  ledCount?: number;
  skip?: Partial<Record<ConformanceCase, string>>;
}

const filled = (length: number, seed: number) => Uint8Array.from({ length }, (_, i) => (i * 37 + seed) % 256);

export function runDriverConformance(name: string, options: ConformanceOptions): void {
  const ledCount = options.ledCount ?? 12;
  const open: LedDriver[] = [];
  const make = async (colorOrder: ColorOrder = "GRB") => {
    const made = await options.create({ ledCount, colorOrder, gpioPin: 18 });
    open.push(made.driver);
    return made;
  };
  const wireBytes = (order: ColorOrder = "GRB") => ledCount * bytesPerLed(order);
  const test = (key: ConformanceCase, title: string, body: () => Promise<void>) => {
    const reason = options.skip?.[key];
    if (reason === undefined) it(title, body);
    else it(`${title} — not applicable to ${name}: ${reason}`, () => expect(reason.length).toBeGreaterThan(0));
  };

  describe(`${name} driver conformance`, () => {
    afterEach(async () => {
      for (const driver of open.splice(0)) await driver.close();
    });

    test("renders", "shows exactly the wire bytes it was given", async () => {
      const { driver, shown } = await make();
      const wire = filled(wireBytes(), 5);
      await driver.render(wire);
      const now = await shown();
      if (now !== undefined) expect([...now]).toEqual([...wire]);
      expect(driver.name.length).toBeGreaterThan(0);
    });

    test("copies", "does not depend on the buffer after render returns (the daemon reuses it)", async () => {
      const { driver, shown } = await make();
      const wire = filled(wireBytes(), 9);
      await driver.render(wire);
      const expected = [...wire];
      wire.fill(0xaa);
      const now = await shown();
      if (now !== undefined) expect([...now]).toEqual(expected);
    });

    test("wrong-length", "refuses a buffer of the wrong length with a message naming the expected size", async () => {
      const { driver } = await make();
      const attempt = async () => driver.render(new Uint8Array(wireBytes() - 1));
      await expect(attempt()).rejects.toThrow(String(wireBytes()));
    });

    test("all-off", "allOff darkens every LED", async () => {
      const { driver, shown } = await make();
      await driver.render(filled(wireBytes(), 1).map((v) => v | 1));
      await driver.allOff();
      const now = await shown();
      if (now !== undefined) expect(now.every((v) => v === 0)).toBe(true);
    });

    test("off-after-failure", "allOff works after a failed render", async () => {
      const { driver, shown } = await make();
      await driver.render(filled(wireBytes(), 3).map((v) => v | 1));
      await expect((async () => driver.render(new Uint8Array(1)))()).rejects.toThrow();
      await driver.allOff();
      const now = await shown();
      if (now !== undefined) expect(now.every((v) => v === 0)).toBe(true);
    });

    test("close", "close leaves the strip dark and can be called twice", async () => {
      const { driver, shown } = await make();
      await driver.render(filled(wireBytes(), 2).map((v) => v | 1));
      await driver.close();
      await driver.close();
      const now = await shown();
      if (now !== undefined) expect(now.every((v) => v === 0)).toBe(true);
    });

    test("color-orders", "takes 3 bytes per LED for RGB orders and 4 for RGBW", async () => {
      for (const order of colorOrders) {
        const { driver, shown } = await make(order);
        const wire = filled(wireBytes(order), order.length);
        await driver.render(wire);
        const now = await shown();
        if (now !== undefined) expect([...now]).toEqual([...wire]);
      }
    });
  });
}
