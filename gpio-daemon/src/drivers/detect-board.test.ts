import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { chooseDriver, classifyBoard, detectBoard, readBoardModel, spiDataPin } from "./detect-board.ts";

const dir = mkdtempSync(join(tmpdir(), "detect-board-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function fakeModel(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, `${text}\0`, "latin1");
  return path;
}

describe("reading the device-tree model", () => {
  it("strips the trailing NUL and falls back to the second path", () => {
    const second = fakeModel("model-b", "Raspberry Pi 4 Model B Rev 1.4");
    expect(readBoardModel([join(dir, "absent"), second])).toBe("Raspberry Pi 4 Model B Rev 1.4");
    expect(readBoardModel([join(dir, "absent")])).toBeUndefined();
  });

  it.each([
    ["Raspberry Pi 5 Model B Rev 1.0", "pi5", "spi"],
    ["Raspberry Pi Compute Module 5 Rev 1.0", "pi5", "spi"],
    ["Raspberry Pi 500 Rev 1.0", "pi5", "spi"],
    ["Raspberry Pi 4 Model B Rev 1.4", "pi", "ws281x"],
    ["Raspberry Pi 3 Model B Plus Rev 1.3", "pi", "ws281x"],
    ["Raspberry Pi Zero 2 W Rev 1.0", "pi", "ws281x"],
    ["Raspberry Pi 400 Rev 1.0", "pi", "ws281x"],
    ["Pine64 RockPro64 v2.1", "other", "simulator"],
  ])("%s → %s board → %s on GPIO 18", (model, kind, driver) => {
    const board = detectBoard([fakeModel(`m-${kind}-${driver}-${model.length}`, model)]);
    expect(board).toEqual({ kind, model });
    expect(chooseDriver(board, 18).driver).toBe(driver);
  });

  it("uses the simulator when there is no model file, and says so", () => {
    const choice = chooseDriver(detectBoard([join(dir, "absent")]), 18);
    expect(choice.driver).toBe("simulator");
    expect(choice.reason).toMatch(/not a Raspberry Pi/);
  });
});

describe("chooseDriver follows the data pin", () => {
  it("picks spi on any Pi when the strip is on GPIO 10", () => {
    expect(chooseDriver(classifyBoard("Raspberry Pi 4 Model B Rev 1.4"), spiDataPin).driver).toBe("spi");
  });

  it("tells a Pi 5 owner to move the data wire to GPIO 10", () => {
    expect(chooseDriver(classifyBoard("Raspberry Pi 5 Model B Rev 1.0"), 18).reason).toMatch(/must be on GPIO 10 .*not GPIO 18/);
  });
});
