import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { runDriverConformance } from "./driver.conformance.ts";
import { SimulatorDriver, type SimulatorState } from "./simulator.ts";

runDriverConformance("simulator", {
  create: async (options) => {
    const driver = new SimulatorDriver(options);
    return { driver, shown: () => driver.wire.slice() };
  },
});

describe("simulator", () => {
  const dir = mkdtempSync(join(tmpdir(), "tree-sim-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const readState = (path: string) => JSON.parse(readFileSync(path, "utf8")) as SimulatorState;

  it("undoes the colour order for viewers", () => {
    const driver = new SimulatorDriver({ ledCount: 2, colorOrder: "GRB", gpioPin: 18 });
    driver.render(new Uint8Array([10, 20, 30, 1, 2, 3]));
    expect([...driver.shownRgb()]).toEqual([20, 10, 30, 2, 1, 3]);
  });

  it("folds the white chip back into R, G and B on RGBW strips", () => {
    const driver = new SimulatorDriver({ ledCount: 1, colorOrder: "GRBW", gpioPin: 18 });
    driver.render(new Uint8Array([5, 0, 10, 100]));
    expect([...driver.shownRgb()]).toEqual([100, 105, 110]);
  });

  it("writes its state file at start and at once when the strip goes dark", () => {
    const stateFile = join(dir, "state.json");
    const driver = new SimulatorDriver({ ledCount: 3, colorOrder: "RGB", gpioPin: 18, stateFile, stateIntervalMs: 60_000 });
    expect(readState(stateFile)).toMatchObject({ ledCount: 3, frames: 0, lit: 0 });
    driver.render(new Uint8Array([1, 0, 0, 0, 0, 0, 0, 0, 9]));
    // Throttled: a render alone does not write yet.
    expect(readState(stateFile).frames).toBe(0);
    driver.allOff();
    expect(readState(stateFile)).toMatchObject({ frames: 1, lit: 0, rgb: Buffer.alloc(9).toString("base64") });
    driver.close();
  });

  it("writes the lit strip once the throttle interval passes", async () => {
    const stateFile = join(dir, "lit.json");
    const driver = new SimulatorDriver({ ledCount: 2, colorOrder: "GRB", gpioPin: 18, stateFile, stateIntervalMs: 1 });
    driver.render(new Uint8Array([0, 255, 0, 0, 0, 7]));
    await new Promise((resolve) => setTimeout(resolve, 30));
    const state = readState(stateFile);
    expect(state).toMatchObject({ frames: 1, lit: 2 });
    expect([...Buffer.from(state.rgb, "base64")]).toEqual([255, 0, 0, 0, 0, 7]);
    driver.close();
  });

  it("draws the strip in truecolour, wrapped at the terminal width, redrawing in place", () => {
    let output = "";
    const terminal = { columns: 2, write: (text: string) => (output += text) };
    const driver = new SimulatorDriver({ ledCount: 3, colorOrder: "RGB", gpioPin: 18, draw: true, terminal, drawIntervalMs: 60_000 });
    driver.render(new Uint8Array([255, 0, 0, 0, 255, 0, 0, 0, 255]));
    driver.allOff();
    expect(output).toContain("\x1b[48;2;0;0;0m");
    driver.close();
    expect(output.split("\n").length - 1).toBe(4);
    // The second drawing moves up over the first's two rows.
    expect(output).toContain("\x1b[2F");
  });
});
