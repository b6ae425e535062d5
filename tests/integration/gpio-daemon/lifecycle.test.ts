import { existsSync, lstatSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import type { SimulatorState } from "../../../gpio-daemon/src/drivers/simulator.ts";
import { LineClient } from "../../../gpio-daemon/src/testing/line-client.ts";
import { uniformFrame } from "../../../gpio-daemon/src/testing/test-daemon.ts";
import { runDaemon, spawnDaemon, type DaemonProcess } from "./daemon-process.ts";

const started: DaemonProcess[] = [];
afterEach(async () => {
  for (const daemon of started.splice(0)) await daemon.cleanup();
});
async function spawn(args: string[], env: Record<string, string> = {}) {
  const daemon = await spawnDaemon(args, env);
  started.push(daemon);
  return daemon;
}
const readState = (path: string) => JSON.parse(readFileSync(path, "utf8")) as SimulatorState;

describe("tree-gpio as a process", () => {
  it.each(["SIGTERM", "SIGINT"] as const)("on %s turns every LED off, removes its socket and exits 0", async (signal) => {
    const daemon = await spawn(["--led-count", "5"]);
    const client = await LineClient.open(daemon.socket);
    expect(await client.request(uniformFrame(5, [255, 128, 0, 100]))).toEqual({ ok: true });
    // The client stays connected: the signal, not the writer leaving, must darken the strip.
    const lit = await client.request('{"type":"snapshot"}');
    expect(lit.frames).toBe(1);
    daemon.process.kill(signal);
    expect(await daemon.exited).toBe(0);
    const state = readState(daemon.stateFile);
    expect(state.frames).toBe(1);
    expect(state.lit).toBe(0);
    expect(Buffer.from(state.wire, "base64").every((v) => v === 0)).toBe(true);
    expect(existsSync(daemon.socket)).toBe(false);
    expect(daemon.stderr()).toContain(`${signal}: turning the strip off`);
    await client.close();
  });

  it("starts over the stale socket a killed daemon left behind", async () => {
    const first = await spawn(["--led-count", "2"]);
    first.process.kill("SIGKILL");
    await first.exited;
    expect(lstatSync(first.socket).isSocket()).toBe(true);
    await spawn(["--led-count", "2", "--socket", first.socket]);
    const client = await LineClient.open(first.socket);
    expect(await client.request('{"type":"info"}')).toMatchObject({ ok: true, ledCount: 2 });
    await client.close();
  });

  it("refuses to start while another daemon answers on the socket", async () => {
    const live = await spawn(["--led-count", "2"]);
    const result = runDaemon(["--socket", live.socket, "--led-count", "2"]);
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toContain("another daemon is answering");
    const client = await LineClient.open(live.socket);
    expect(await client.request('{"type":"info"}')).toMatchObject({ ok: true });
    await client.close();
  });

  it("gives the socket mode 0660 and the configured group", async () => {
    // A group other than our primary one proves the chgrp happened; without root, only our own groups are allowed.
    const allowed = (gid: number) => process.getuid?.() === 0 || (process.getgroups?.() ?? []).includes(gid);
    const groups = readFileSync("/etc/group", "utf8").split("\n").map((line) => line.split(":")).filter((fields) => fields[0] && allowed(Number(fields[2])));
    const [name, , gid] = groups.find((fields) => fields[2] !== String(process.getgid?.())) ?? groups[0]!;
    const daemon = await spawn(["--led-count", "1", "--socket-group", name!]);
    const stat = lstatSync(daemon.socket);
    expect(stat.mode & 0o777).toBe(0o660);
    expect(stat.gid).toBe(Number(gid));
  });

  it("takes settings from flags over environment over the config file", async () => {
    const probe = await spawn(["--led-count", "3"]);
    const configFile = join(probe.dir, "gpio.json");
    writeFileSync(configFile, JSON.stringify({ ledCount: 7, colorOrder: "RGB", brightnessCapPercent: 30 }));
    const daemon = await spawn(["--config", configFile, "--led-count", "9", "--socket", join(probe.dir, "b.sock")], {
      TREE_GPIO_LED_COUNT: "8",
      TREE_GPIO_COLOR_ORDER: "BGR",
    });
    const client = await LineClient.open(join(probe.dir, "b.sock"));
    expect(await client.request('{"type":"info"}')).toMatchObject({ ledCount: 9, colorOrder: "BGR", brightnessCapPercent: 30 });
    await client.close();
    expect(daemon.stderr()).toContain("9 leds");
  });
});

describe("tree-gpio's command line", () => {
  it("--help lists every flag with its environment variable and exits 0", () => {
    const result = runDaemon(["--help"]);
    expect(result.exitCode).toBe(0);
    for (const text of ["--socket", "--led-count", "--driver", "--gpio-pin", "--color-order", "--brightness-cap", "--psu-amps", "--milliamps-per-led", "--socket-group", "--config", "TREE_GPIO_LED_COUNT"]) {
      expect(result.stdout).toContain(text);
    }
  });

  it("prints each configuration error as `path: message` and exits 2", () => {
    const result = runDaemon(["--led-count", "0", "--color-order", "XYZ", "--frobnicate", "1"], { TREE_GPIO_PSU_AMPS: "lots" });
    expect(result.exitCode).toBe(2);
    const lines = result.stderr.trim().split("\n");
    expect(lines).toContain('--led-count: expected a whole number from 1 to 2048, got 0');
    expect(lines).toContain('--color-order: expected one of RGB, RBG, GRB, GBR, BRG, BGR, RGBW, GRBW, got "XYZ"');
    expect(lines).toContain("--frobnicate: unknown option (see --help)");
    expect(lines).toContain('TREE_GPIO_PSU_AMPS: expected a number from 0.1 to 1000, got "lots"');
  });

  it("exits 2 naming the group when the socket group does not exist", async () => {
    const result = runDaemon(["--socket", "/tmp/never-created-tree-gpio.sock", "--socket-group", "no-such-group-here"]);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain('no group named "no-such-group-here"');
  });
});
