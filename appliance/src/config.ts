/**
 * tree-app's configuration: one TypeBox schema holding every setting with its
 * default, range, unit (in the name) and description. Flags, environment and a
 * JSON file all write into this one shape; precedence is flag > env > file >
 * default. Errors come back as `path: message` lines, never as a throw.
 */
import { readFileSync } from "node:fs";
import { Type as t, type Static, type TObject, type TSchema } from "@sinclair/typebox";
import { Value } from "@sinclair/typebox/value";

export const ConfigSchema = t.Object(
  {
    port: t.Integer({ minimum: 0, maximum: 65535, default: 8080, description: "HTTP port; 0 picks a free one" }),
    host: t.String({ minLength: 1, default: "0.0.0.0", description: "address to listen on" }),
    dataDir: t.String({ minLength: 1, default: "data", description: "uploads, submission records and the cookie secret" }),
    gpioSocket: t.String({ minLength: 1, default: "/run/tree/gpio.sock", description: "Unix socket of tree-gpio" }),
    slotSeconds: t.Integer({ minimum: 5, maximum: 600, default: 45, description: "longest run of one program" }),
    // A turn lasts at least this long: a program that ends sooner keeps its last frame on the tree
    // until then (the next one waits), so a visitor looking up sees what they made. Capped at slotSeconds.
    minShowSeconds: t.Integer({ minimum: 0, maximum: 600, default: 15, description: "least time a program's picture stays on the tree, from its start (at most slotSeconds)" }),
    idleAfterSeconds: t.Integer({ minimum: 0, maximum: 3600, default: 60, description: "how long the last program's picture stays when nobody waits, before the idle show" }),
    maxPendingPerUser: t.Integer({ minimum: 1, maximum: 100, default: 3, description: "waiting programs one visitor may have" }),
    // A fresh browser (or User-Agent) is a fresh visitor, an address is not. Twice the per-visitor
    // cap, so two people sharing a laptop still fit; raise it if visitors reach the tree through a NAT.
    maxPendingPerIp: t.Integer({ minimum: 1, maximum: 10000, default: 6, description: "waiting programs from one address" }),
    maxPendingTotal: t.Integer({ minimum: 1, maximum: 10000, default: 200, description: "waiting programs in all" }),
    uploadsPerMinutePerIp: t.Integer({ minimum: 1, maximum: 10000, default: 6, description: "uploads one address may make per minute" }),
    historyLimit: t.Integer({ minimum: 1, maximum: 100000, default: 500, description: "finished submissions kept on disk" }),
    recentInView: t.Integer({ minimum: 0, maximum: 200, default: 20, description: "finished submissions listed on the queue page" }),
    operatorPassword: t.Optional(
      t.String({ minLength: 8, maxLength: 200, description: "password of the operator view; unset disables it" }),
    ),
    liveFps: t.Integer({ minimum: 1, maximum: 60, default: 20, description: "frames per second sent to live viewers" }),
    maxLiveViewers: t.Integer({ minimum: 1, maximum: 10000, default: 500, description: "open live WebSockets at once" }),
    maxQueueListeners: t.Integer({ minimum: 1, maximum: 10000, default: 500, description: "open queue event streams at once" }),
    // Per address: on the hotspot and on venue Wi-Fi every phone has its own address, and one
    // browser has at most a few queue pages open (each takes one stream and one live socket), so
    // 4 leaves room for tabs while one client can no longer take every slot. Behind a NAT (the tree
    // reached through a router or proxy) all visitors share an address: raise both there.
    maxEventStreamsPerIp: t.Integer({ minimum: 1, maximum: 10000, default: 4, description: "open queue event streams from one address" }),
    maxLiveViewersPerIp: t.Integer({ minimum: 1, maximum: 10000, default: 4, description: "open live WebSockets from one address" }),
    // Try it: a preview runs in the same sandbox, niced below the tree's own run, and its frames go
    // only to the page of the visitor who started it. Two at once leave one core for the tree's run
    // and the LEDs on a Pi Zero 2 W; the per-address budget keeps one phone from holding both.
    previewSeconds: t.Integer({ minimum: 1, maximum: 60, default: 10, description: "longest preview (Try it) of a program, in seconds" }),
    maxConcurrentPreviews: t.Integer({ minimum: 0, maximum: 16, default: 2, description: "previews running at once in all; 0 turns Try it off" }),
    previewsPerMinutePerIp: t.Integer({ minimum: 1, maximum: 10000, default: 10, description: "previews one address may start per minute" }),
    // Behind a NAT every visitor shares one address: raise it there, as maxLiveViewersPerIp.
    maxRunningPreviewsPerIp: t.Integer({ minimum: 1, maximum: 16, default: 1, description: "previews running at once from one address" }),
    fallbackLedCount: t.Integer({ minimum: 1, maximum: 2048, default: 100, description: "LED count while the daemon is unreachable" }),
    idleShow: t.Boolean({ default: true, description: "run the built-in show while the queue is empty" }),
    publicUrl: t.Optional(t.String({ pattern: "^https?://", description: "base URL visitors reach the app at (e.g. http://10.42.0.1:8080), for /qr and portal redirects; default: the request's origin" })),
    wifiSsid: t.Optional(t.String({ minLength: 1, maxLength: 32, description: "network printed as a join code on /qr" })),
    wifiPassword: t.Optional(t.String({ maxLength: 63, description: "password of wifiSsid" })),
    // On the Pi, compose.yml mounts tree-host's directory read-only at /run/tree-host (host-status/schema.ts).
    hostStatus: t.Optional(t.String({ minLength: 1, description: "tree-host's status.json (network, images, containers, LED driver), re-read when it changes; unset: not on an appliance" })),
  },
  { additionalProperties: false },
);
export type Config = Static<typeof ConfigSchema>;
export type ConfigKey = keyof Config;

export type ConfigLoad = { ok: true; config: Config } | { ok: false; errors: string[] };

const keys = Object.keys(ConfigSchema.properties) as ConfigKey[];

/** `slotSeconds` → `slot-seconds` (flag) and `TREE_APP_SLOT_SECONDS` (env). */
export const flagName = (key: string) => key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
export const envName = (key: string) => `TREE_APP_${key.replace(/[A-Z]/g, (c) => `_${c}`).toUpperCase()}`;

function parseFlags(args: string[]): { values: Record<string, string>; errors: string[]; configFile?: string } {
  const values: Record<string, string> = {};
  const errors: string[] = [];
  let configFile: string | undefined;
  const byFlag = new Map(keys.map((key) => [flagName(key), key]));
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (!arg.startsWith("--")) {
      errors.push(`${arg}: unexpected argument`);
      continue;
    }
    const eq = arg.indexOf("=");
    const name = arg.slice(2, eq === -1 ? undefined : eq);
    const inline = eq === -1 ? undefined : arg.slice(eq + 1);
    const key = byFlag.get(name);
    if (name !== "config" && key === undefined) {
      errors.push(`--${name}: unknown flag (see --help)`);
      continue;
    }
    const schema = key === undefined ? undefined : ConfigSchema.properties[key];
    let value = inline;
    if (value === undefined) {
      const next = args[i + 1];
      if ((schema as TSchema | undefined)?.type === "boolean" && (next === undefined || next.startsWith("--"))) value = "true";
      else if (next === undefined) {
        errors.push(`--${name}: needs a value`);
        continue;
      } else {
        value = next;
        i++;
      }
    }
    if (key === undefined) configFile = value;
    else values[key] = value;
  }
  return { values, errors, configFile };
}

function readConfigFile(path: string): { values: Record<string, unknown>; errors: string[] } {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    return { values: {}, errors: [`${path}: cannot read (${(error as NodeJS.ErrnoException).code ?? String(error)})`] };
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return { values: {}, errors: [`${path}: not valid JSON (${(error as Error).message})`] };
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    return { values: {}, errors: [`${path}: must hold one JSON object of settings`] };
  }
  return { values: value as Record<string, unknown>, errors: [] };
}

/** Strings from flags and env become numbers and booleans where the schema says so. */
function convert(schema: TObject, raw: Record<string, unknown>): Record<string, unknown> {
  return Value.Convert(schema, raw) as Record<string, unknown>;
}

export interface ConfigSources {
  args?: string[];
  env?: Record<string, string | undefined>;
}

/** Reads flags, env and the config file (`--config` or `TREE_APP_CONFIG`) into one checked Config. */
export function loadConfig({ args = [], env = {} }: ConfigSources): ConfigLoad {
  const flags = parseFlags(args);
  const errors = [...flags.errors];
  const configFile = flags.configFile ?? env.TREE_APP_CONFIG;
  const file = configFile === undefined ? { values: {}, errors: [] } : readConfigFile(configFile);
  errors.push(...file.errors);
  const fromEnv: Record<string, string> = {};
  for (const key of keys) {
    const value = env[envName(key)];
    if (value !== undefined && value !== "") fromEnv[key] = value;
  }
  const merged = { ...file.values, ...convert(ConfigSchema, fromEnv), ...convert(ConfigSchema, flags.values) };
  const withDefaults = Value.Default(ConfigSchema, merged) as Record<string, unknown>;
  for (const error of Value.Errors(ConfigSchema, withDefaults)) {
    const path = error.path.replace(/^\//, "").replace(/\//g, ".") || "(config)";
    const known = error.path === "" || keys.includes(error.path.slice(1).split("/")[0] as ConfigKey);
    errors.push(known ? `${path}: ${error.message}` : `${path}: unknown setting`);
  }
  if (errors.length > 0) return { ok: false, errors: [...new Set(errors)] };
  return { ok: true, config: withDefaults as Config };
}

/** Help text generated from the schema, so it cannot drift from it. */
export function configHelp(): string {
  const lines = keys.map((key) => {
    const schema = ConfigSchema.properties[key] as TSchema;
    const fallback = schema.default === undefined ? "unset" : JSON.stringify(schema.default);
    const range = schema.minimum !== undefined && schema.maximum !== undefined ? `${schema.minimum}-${schema.maximum}, ` : "";
    return `  --${flagName(key).padEnd(26)} ${envName(key).padEnd(35)} ${schema.description} (${range}default ${fallback})`;
  });
  return [`  --config FILE                JSON object of the settings below (TREE_APP_CONFIG)`, ...lines].join("\n");
}
