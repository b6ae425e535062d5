/**
 * tree-gpio's configuration: one TypeBox schema with defaults, bounds and
 * descriptions, filled from (highest first) flags, environment, a JSON config
 * file, defaults. Every problem comes back as one `path: message` line, where
 * the path is what the operator typed: `--led-count`, `TREE_GPIO_LED_COUNT`, or
 * `FILE: ledCount`.
 */
import { readFileSync } from "node:fs";
import { Type as t, type Static, type TSchema } from "@sinclair/typebox";
import { Value } from "@sinclair/typebox/value";
import { maxLedCount } from "../../protocol/limits.ts";
import { colorOrders } from "./drivers/driver.ts";
import { driverNames } from "./drivers/index.ts";

export const ConfigSchema = t.Object(
  {
    socket: t.String({ minLength: 1, default: "/run/tree/gpio.sock", description: "Unix socket the daemon listens on" }),
    ledCount: t.Integer({ minimum: 1, maximum: maxLedCount, default: 100, description: "LEDs on the strip; every frame must have exactly this many" }),
    driver: t.String({ minLength: 1, default: "simulator", description: "what drives the LEDs" }),
    gpioPin: t.Integer({ minimum: 0, maximum: 27, default: 18, description: "BCM GPIO number of the strip's data line (ws281x driver)" }),
    colorOrder: t.Union(colorOrders.map((order) => t.Literal(order)), { default: "GRB", description: "byte order the strip expects; WS2812 strips are usually GRB" }),
    brightnessCapPercent: t.Integer({ minimum: 0, maximum: 100, default: 100, description: "global brightness cap applied to every frame, in percent" }),
    psuAmps: t.Number({ minimum: 0.1, maximum: 1000, default: 4, description: "current the LED power supply can deliver, in amperes" }),
    reserveMilliamps: t.Number({ minimum: 0, maximum: 1_000_000, default: 0, description: "part of the PSU budget kept free (e.g. a Pi on the same supply), in mA" }),
    milliampsPerLed: t.Number({ minimum: 1, maximum: 200, default: 60, description: "current of one LED at full white, in mA (WS2812B: 55-60)" }),
    idleMilliampsPerLed: t.Number({ minimum: 0, maximum: 10, default: 1, description: "current of one dark LED (its controller chip), in mA" }),
    socketGroup: t.String({ default: "", description: "group that owns the socket (name or number); empty keeps the daemon's group" }),
    stateFile: t.String({ default: "", description: "simulator: file that always holds what the strip shows (JSON); empty for none" }),
    draw: t.Union([t.Literal("auto"), t.Literal("always"), t.Literal("never")], { default: "auto", description: "simulator: draw the strip in a truecolour terminal (auto: when stdout is a TTY)" }),
    spiDevice: t.String({ minLength: 1, default: "/dev/spidev0.0", description: "spi driver: SPI device node" }),
    dmaChannel: t.Integer({ minimum: 0, maximum: 14, default: 10, description: "ws281x driver: DMA channel (never 5 on a Pi 3B)" }),
  },
  { additionalProperties: false },
);
export type DaemonConfig = Static<typeof ConfigSchema>;
type Key = keyof DaemonConfig;

/** Flag for each setting; the environment variable is TREE_GPIO_ + the flag in capitals. */
export const flagNames: Record<Key, string> = {
  socket: "--socket",
  ledCount: "--led-count",
  driver: "--driver",
  gpioPin: "--gpio-pin",
  colorOrder: "--color-order",
  brightnessCapPercent: "--brightness-cap",
  psuAmps: "--psu-amps",
  reserveMilliamps: "--reserve-milliamps",
  milliampsPerLed: "--milliamps-per-led",
  idleMilliampsPerLed: "--idle-milliamps-per-led",
  socketGroup: "--socket-group",
  stateFile: "--state-file",
  draw: "--draw",
  spiDevice: "--spi-device",
  dmaChannel: "--dma-channel",
};
const keys = Object.keys(flagNames) as Key[];
export const envPrefix = "TREE_GPIO_";
export const envName = (key: Key | "config") =>
  envPrefix + (key === "config" ? "CONFIG" : flagNames[key].slice(2).replaceAll("-", "_").toUpperCase());

export type ConfigResult =
  | { ok: true; config: DaemonConfig; help?: false }
  | { ok: true; help: true }
  | { ok: false; errors: string[] };

const propertySchema = (key: Key): TSchema => ConfigSchema.properties[key];

/** What a schema accepts, in words a person can act on. */
function expected(schema: TSchema): string {
  if (Array.isArray(schema.anyOf)) return `one of ${schema.anyOf.map((s: TSchema) => s.const).join(", ")}`;
  const range = (kind: string) => `${kind} from ${schema.minimum} to ${schema.maximum}`;
  if (schema.type === "integer") return range("a whole number");
  if (schema.type === "number") return range("a number");
  return "text";
}

/** Flags and environment give text; turn it into the schema's type without guessing. */
function fromText(schema: TSchema, text: string): unknown {
  if ((schema.type === "integer" || schema.type === "number") && /^\s*-?\d+(\.\d+)?\s*$/.test(text)) return Number(text);
  return text;
}

function checkValue(key: Key, value: unknown, path: string, errors: string[]): unknown {
  const schema = propertySchema(key);
  if (Value.Check(schema, value)) return value;
  errors.push(`${path}: expected ${expected(schema)}, got ${JSON.stringify(value)}`);
  return undefined;
}

function parseArgs(args: readonly string[], errors: string[]): { values: Partial<Record<Key, unknown>>; config?: string; help: boolean } {
  const byFlag = new Map(keys.map((key) => [flagNames[key], key]));
  const values: Partial<Record<Key, unknown>> = {};
  let config: string | undefined;
  let help = false;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === "--help" || arg === "-h") {
      help = true;
      continue;
    }
    const equals = arg.indexOf("=");
    const flag = equals > 0 ? arg.slice(0, equals) : arg;
    const key = byFlag.get(flag);
    if (key === undefined && flag !== "--config") {
      if (!flag.startsWith("-")) {
        errors.push(`${flag}: unexpected argument (options take the form --name VALUE; see --help)`);
        continue;
      }
      errors.push(`${flag}: unknown option (see --help)`);
      // Skip what is most likely its value, so one typo gives one error.
      if (equals < 0 && args[i + 1] !== undefined && !args[i + 1]!.startsWith("-")) i++;
      continue;
    }
    let text = equals > 0 ? arg.slice(equals + 1) : args[i + 1];
    if (equals < 0) {
      if (text === undefined || text.startsWith("--")) {
        errors.push(`${flag}: needs a value`);
        continue;
      }
      i++;
    }
    text ??= "";
    if (key === undefined) config = text;
    else values[key] = checkValue(key, fromText(propertySchema(key), text), flag, errors);
  }
  return { values, config, help };
}

function readEnv(env: Record<string, string | undefined>, errors: string[]): Partial<Record<Key, unknown>> {
  const byEnv = new Map(keys.map((key) => [envName(key), key]));
  const values: Partial<Record<Key, unknown>> = {};
  for (const [name, text] of Object.entries(env)) {
    if (!name.startsWith(envPrefix) || text === undefined || name === envName("config")) continue;
    const key = byEnv.get(name);
    if (key === undefined) errors.push(`${name}: unknown setting (known: ${keys.map(envName).join(", ")})`);
    else values[key] = checkValue(key, fromText(propertySchema(key), text), name, errors);
  }
  return values;
}

function readFile(path: string, errors: string[]): Partial<Record<Key, unknown>> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, "utf8"));
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === "ENOENT" ? "no such file" : (error as Error).message;
    errors.push(`${path}: cannot read the config file: ${reason}`);
    return {};
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
    errors.push(`${path}: the config file must hold one JSON object, e.g. {"ledCount": 150}`);
    return {};
  }
  const values: Partial<Record<Key, unknown>> = {};
  for (const [name, value] of Object.entries(parsed)) {
    if (!(keys as string[]).includes(name)) {
      errors.push(`${path}: ${name}: unknown setting (known: ${keys.join(", ")})`);
      continue;
    }
    values[name as Key] = checkValue(name as Key, value, `${path}: ${name}`, errors);
  }
  return values;
}

/** Checks that only make sense across settings. */
function crossCheck(config: DaemonConfig, errors: string[]): void {
  if (!driverNames.includes(config.driver)) {
    errors.push(`driver: unknown driver "${config.driver}" (known: ${driverNames.join(", ")})`);
  }
  const budget = config.psuAmps * 1000 - config.reserveMilliamps;
  const idle = config.ledCount * config.idleMilliampsPerLed;
  if (budget <= idle) {
    errors.push(
      `psuAmps: a budget of ${budget} mA (psuAmps × 1000 − reserveMilliamps) does not even cover ` +
        `the ${idle} mA that ${config.ledCount} dark LEDs draw; raise psuAmps or lower reserveMilliamps`,
    );
  }
}

/**
 * Builds the configuration from command-line arguments, the environment and the
 * file named by `--config` or TREE_GPIO_CONFIG. Never throws; never exits.
 */
export function loadConfig(args: readonly string[], env: Record<string, string | undefined>): ConfigResult {
  const errors: string[] = [];
  const flags = parseArgs(args, errors);
  if (flags.help) return { ok: true, help: true };
  const fromEnv = readEnv(env, errors);
  const file = flags.config ?? env[envName("config")];
  const fromFile = file === undefined || file === "" ? {} : readFile(file, errors);
  const merged: Record<string, unknown> = {};
  for (const layer of [fromFile, fromEnv, flags.values]) {
    for (const [key, value] of Object.entries(layer)) if (value !== undefined) merged[key] = value;
  }
  const config = Value.Default(ConfigSchema, merged) as DaemonConfig;
  if (errors.length === 0) crossCheck(config, errors);
  return errors.length > 0 ? { ok: false, errors } : { ok: true, config };
}

/** `--help`: every setting with its flag, environment variable, default and meaning. */
export function helpText(): string {
  const lines = [
    "usage: tree-gpio [options]",
    "",
    "Receives LED frames on a Unix socket (newline-delimited JSON, see protocol/PROTOCOL.md),",
    "limits their current to the power supply and drives the strip.",
    "Each option is also read from the environment variable shown, and from a JSON config",
    "file (--config FILE or TREE_GPIO_CONFIG) under the key shown. Flags beat environment,",
    "environment beats the file, the file beats the defaults.",
    "",
  ];
  for (const key of keys) {
    const schema = propertySchema(key);
    lines.push(`  ${flagNames[key]} ${key.replace(/[A-Z]/g, (c) => `_${c}`).toUpperCase()}`);
    lines.push(`      ${schema.description}; ${expected(schema)}; default ${JSON.stringify(schema.default)}`);
    lines.push(`      env ${envName(key)}, file key "${key}"`);
  }
  lines.push("  --config FILE", "      JSON config file; env TREE_GPIO_CONFIG", "  --help", "      this text");
  return lines.join("\n");
}
