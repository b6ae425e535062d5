/** appliance/runner/FLASH.md's threshold table states the numbers limits.ts enforces, every one of them. */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { expect, test } from "vitest";
import { sandboxLimits } from "../limits.ts";
import type { FlashLimits } from "./flash-guard.ts";

const doc = readFileSync(join(import.meta.dirname, "../../../runner/FLASH.md"), "utf8");

test("FLASH.md's thresholds are the enforced ones", () => {
  const rows = new Map([...doc.matchAll(/^\| `(\w+)` \| ([\d./]+) \|/gm)].map((match) => [match[1]!, match[2]!]));
  const names: (keyof FlashLimits)[] = ["maxFlashesPerSecond", "flashLuminanceDelta", "flashDarkerLuminanceMax", "redFlashDelta", "saturatedRedShare", "flashAreaFraction"];
  expect([...rows.keys()].sort()).toEqual([...names].sort());
  for (const name of names) {
    const [numerator, denominator = "1"] = rows.get(name)!.split("/");
    expect(Number(numerator) / Number(denominator), name).toBe(sandboxLimits[name]);
  }
});
