import { describe, expect, it } from "vitest";
import { rgbToWire, wireLayout, wireToRgb } from "./color-order.ts";
import { colorOrders } from "./drivers/driver.ts";

describe("colour order", () => {
  it("puts each channel where the strip expects it", () => {
    const rgb = new Uint8Array([10, 20, 30]);
    const wireOf = (order: (typeof colorOrders)[number]) => {
      const layout = wireLayout(order);
      const wire = new Uint8Array(layout.bytesPerLed);
      rgbToWire(rgb, layout, wire);
      return [...wire];
    };
    expect(wireOf("RGB")).toEqual([10, 20, 30]);
    expect(wireOf("GRB")).toEqual([20, 10, 30]);
    expect(wireOf("BGR")).toEqual([30, 20, 10]);
    expect(wireOf("BRG")).toEqual([30, 10, 20]);
    // RGBW: white = min(R, G, B) moves to the white chip.
    expect(wireOf("RGBW")).toEqual([0, 10, 20, 10]);
    expect(wireOf("GRBW")).toEqual([10, 0, 20, 10]);
  });

  it("round-trips every order for random colours", () => {
    let seed = 3;
    const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const rgb = Uint8Array.from({ length: 300 }, () => Math.floor(random() * 256));
    for (const order of colorOrders) {
      const layout = wireLayout(order);
      const wire = new Uint8Array(100 * layout.bytesPerLed);
      rgbToWire(rgb, layout, wire);
      expect([...wireToRgb(wire, layout)], order).toEqual([...rgb]);
    }
  });

  it("never raises the channel sum on RGBW strips (the limiter's estimate stays an upper bound)", () => {
    const layout = wireLayout("RGBW");
    const rgb = new Uint8Array([255, 255, 255, 200, 100, 50]);
    const wire = new Uint8Array(8);
    rgbToWire(rgb, layout, wire);
    expect(wire.reduce((a, v) => a + v, 0)).toBeLessThanOrEqual(rgb.reduce((a, v) => a + v, 0));
  });
});
