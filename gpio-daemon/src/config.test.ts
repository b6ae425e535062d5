import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { maxLedCount } from "../../protocol/limits.ts";
import { ConfigSchema, envName, flagNames, helpText, loadConfig } from "./config.ts";
import { resolveGroup } from "./socket-file.ts";

const dir = mkdtempSync(join(tmpdir(), "tree-gpio-config-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const file = (name: string, text: string) => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};
const errorsOf = (args: string[], env: Record<string, string> = {}) => {
  const result = loadConfig(args, env);
  return result.ok ? [] : result.errors;
};

describe("loadConfig", () => {
  it("uses the schema's defaults when nothing is given", () => {
    const result = loadConfig([], {});
    expect(result).toMatchObject({
      ok: true,
      config: { socket: "/run/tree/gpio.sock", ledCount: 100, driver: "simulator", gpioPin: 18, colorOrder: "GRB", brightnessCapPercent: 100 },
    });
  });

  it("takes flags over environment over file over defaults, per setting", () => {
    const config = file("layers.json", JSON.stringify({ ledCount: 10, gpioPin: 12, colorOrder: "RGB", psuAmps: 2 }));
    const result = loadConfig(["--config", config, "--led-count", "30", "--psu-amps=2.5"], {
      TREE_GPIO_LED_COUNT: "20",
      TREE_GPIO_GPIO_PIN: "13",
    });
    expect(result).toMatchObject({ ok: true, config: { ledCount: 30, gpioPin: 13, colorOrder: "RGB", psuAmps: 2.5 } });
  });

  it("finds the config file through TREE_GPIO_CONFIG", () => {
    const config = file("env.json", JSON.stringify({ brightnessCapPercent: 25 }));
    expect(loadConfig([], { TREE_GPIO_CONFIG: config })).toMatchObject({ ok: true, config: { brightnessCapPercent: 25 } });
  });

  it("names every bad value by what the operator typed", () => {
    const config = file("bad.json", JSON.stringify({ ledCount: 1.5, colorOrder: "grb", frames: 3 }));
    const errors = errorsOf(["--config", config, "--gpio-pin", "40", "--brightness-cap", "half"], { TREE_GPIO_PSU_AMPS: "-1" });
    expect(errors).toEqual(
      expect.arrayContaining([
        `${config}: ledCount: expected a whole number from 1 to ${maxLedCount}, got 1.5`,
        `${config}: colorOrder: expected one of RGB, RBG, GRB, GBR, BRG, BGR, RGBW, GRBW, got "grb"`,
        expect.stringMatching(new RegExp(`^${config}: frames: unknown setting`)),
        "--gpio-pin: expected a whole number from 0 to 27, got 40",
        '--brightness-cap: expected a whole number from 0 to 100, got "half"',
        "TREE_GPIO_PSU_AMPS: expected a number from 0.1 to 1000, got -1",
      ]),
    );
    expect(errors.length).toBe(6);
  });

  it("rejects unknown flags, missing values and unknown TREE_GPIO_ variables", () => {
    expect(errorsOf(["--ledcount", "5"])).toEqual(["--ledcount: unknown option (see --help)"]);
    expect(errorsOf(["--socket"])).toEqual(["--socket: needs a value"]);
    expect(errorsOf(["--socket", "--led-count", "3"])).toContain("--socket: needs a value");
    expect(errorsOf([], { TREE_GPIO_LEDS: "5", OTHER: "x" })[0]).toMatch(/^TREE_GPIO_LEDS: unknown setting/);
  });

  it("says when the config file is missing, unreadable JSON or not an object", () => {
    expect(errorsOf(["--config", join(dir, "missing.json")])[0]).toMatch(/missing\.json: cannot read the config file: no such file/);
    expect(errorsOf(["--config", file("broken.json", "{ledCount: 5")])[0]).toMatch(/broken\.json: cannot read the config file/);
    expect(errorsOf(["--config", file("list.json", "[1]")])[0]).toMatch(/list\.json: the config file must hold one JSON object/);
  });

  it("rejects an unknown driver, listing the known ones", () => {
    expect(errorsOf(["--driver", "lasers"])).toEqual([expect.stringMatching(/^driver: unknown driver "lasers" \(known: simulator/)]);
  });

  it("rejects a budget that cannot even feed the dark LEDs", () => {
    expect(errorsOf(["--led-count", "500", "--psu-amps", "0.5"])[0]).toMatch(/^psuAmps: a budget of 500 mA .* 500 mA that 500 dark LEDs draw/);
    expect(errorsOf(["--led-count", "100", "--psu-amps", "1", "--reserve-milliamps", "950"])[0]).toMatch(/^psuAmps:/);
  });

  it("answers --help with every setting", () => {
    expect(loadConfig(["--help", "--led-count", "x"], {})).toEqual({ ok: true, help: true });
    const help = helpText();
    for (const key of Object.keys(ConfigSchema.properties) as (keyof typeof flagNames)[]) {
      expect(help).toContain(flagNames[key]);
      expect(help).toContain(envName(key));
    }
  });
});

describe("resolveGroup", () => {
  const groups = file("group", "root:x:0:\ntree:x:997:app\n");
  it("reads names from the group file and passes numbers through", () => {
    expect(resolveGroup("tree", groups)).toBe(997);
    expect(resolveGroup("1234", groups)).toBe(1234);
    expect(resolveGroup("", groups)).toBe(undefined);
  });
  it("names a group that does not exist", () => {
    expect(() => resolveGroup("trees", groups)).toThrow('socketGroup: no group named "trees"');
  });
});
