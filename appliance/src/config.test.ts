import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ConfigSchema, envName, flagName, loadConfig } from "./config.ts";

const tempFile = (content: string) => {
  const path = join(mkdtempSync(join(tmpdir(), "tree-config-")), "config.json");
  writeFileSync(path, content);
  return path;
};

describe("loadConfig", () => {
  it("fills every default from the schema", () => {
    const loaded = loadConfig({});
    expect(loaded.ok).toBe(true);
    if (!loaded.ok) return;
    expect(loaded.config.slotSeconds).toBe(ConfigSchema.properties.slotSeconds.default);
    expect(loaded.config.liveFps).toBe(ConfigSchema.properties.liveFps.default);
    expect(loaded.config.operatorPassword).toBeUndefined();
  });

  it("takes flag over env over file over default", () => {
    const file = tempFile(JSON.stringify({ port: 1111, slotSeconds: 30, maxPendingPerUser: 5 }));
    const loaded = loadConfig({
      args: ["--config", file, "--port", "3333"],
      env: { TREE_APP_PORT: "2222", TREE_APP_SLOT_SECONDS: "20" },
    });
    expect(loaded).toMatchObject({ ok: true, config: { port: 3333, slotSeconds: 20, maxPendingPerUser: 5 } });
  });

  it("names flags and env variables after the schema keys", () => {
    expect(flagName("uploadsPerMinutePerIp")).toBe("uploads-per-minute-per-ip");
    expect(envName("gpioSocket")).toBe("TREE_APP_GPIO_SOCKET");
    const loaded = loadConfig({ args: ["--data-dir=/tmp/x", "--gpio-socket", "/tmp/g.sock", "--idle-show", "false"] });
    expect(loaded).toMatchObject({ ok: true, config: { dataDir: "/tmp/x", gpioSocket: "/tmp/g.sock", idleShow: false } });
  });

  it("reports every problem as path: message", () => {
    const file = tempFile(JSON.stringify({ slotSeconds: 1, colour: "red" }));
    const loaded = loadConfig({ args: ["--config", file, "--port", "eighty", "--bogus", "1"], env: { TREE_APP_OPERATOR_PASSWORD: "short" } });
    expect(loaded.ok).toBe(false);
    if (loaded.ok) return;
    expect(loaded.errors).toContain("--bogus: unknown flag (see --help)");
    expect(loaded.errors).toContain("colour: unknown setting");
    expect(loaded.errors.some((e) => e.startsWith("slotSeconds: "))).toBe(true);
    expect(loaded.errors.some((e) => e.startsWith("port: "))).toBe(true);
    expect(loaded.errors.some((e) => e.startsWith("operatorPassword: "))).toBe(true);
  });

  it("says why a config file cannot be used", () => {
    expect(loadConfig({ args: ["--config", "/nonexistent/tree.json"] })).toEqual({ ok: false, errors: ["/nonexistent/tree.json: cannot read (ENOENT)"] });
    const bad = tempFile("{ not json");
    const loaded = loadConfig({ args: ["--config", bad] });
    expect(loaded.ok).toBe(false);
    if (!loaded.ok) expect(loaded.errors[0]).toMatch(/not valid JSON/);
    const list = tempFile("[1, 2]");
    expect(loadConfig({ args: ["--config", list] })).toEqual({ ok: false, errors: [`${list}: must hold one JSON object of settings`] });
  });

  it("rejects a flag without its value", () => {
    expect(loadConfig({ args: ["--port"] })).toEqual({ ok: false, errors: ["--port: needs a value"] });
  });
});
