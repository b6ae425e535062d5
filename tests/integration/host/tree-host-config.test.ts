/**
 * tree-host config against a throwaway boot partition: the venue connection for each
 * security word (open, WPA2, WPA3, auto), shared-Ethernet mode, the fallback hotspot kept
 * ready in venue mode, memory limits from the board's RAM, and tree.toml mistakes.
 */
import { afterEach, beforeEach, describe, expect, test } from "vitest";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { HostSandbox, repoRoot } from "./host-sandbox.ts";

let pi: HostSandbox;
beforeEach(() => {
  pi = new HostSandbox();
});
afterEach(() => pi.cleanup());

const venue = (extra: string) => `[wifi]\nmode = "venue"\nssid = "Venue: Hall"\n${extra}\n`;
const env = () => pi.read("etc/compose.env");

function config(...flags: string[]) {
  const done = pi.host(...flags, "config");
  expect(done.status, done.stderr).toBe(0);
  return done;
}

describe("venue security", () => {
  test("auto with a password: wpa-psk with optional PMF, so WPA2 and WPA3 (SAE) networks both work", () => {
    pi.writeToml(venue('password = "s3cret-venue"'));
    config();
    const keyfile = pi.connection("tree-venue");
    expect(keyfile).toMatch(/^key-mgmt=wpa-psk$/m);
    expect(keyfile).toMatch(/^pmf=2$/m);
    expect(keyfile).toMatch(/^psk=s3cret-venue$/m);
    expect(keyfile).toMatch(/^ssid=Venue: Hall$/m);
    expect(keyfile).toMatch(/^autoconnect-retries=0$/m);
  });

  test("open: no security section at all", () => {
    pi.writeToml(venue('password = ""'));
    config();
    const keyfile = pi.connection("tree-venue");
    expect(keyfile).not.toContain("[wifi-security]");
    expect(keyfile).not.toContain("psk=");
    pi.writeToml(venue('security = "open"'));
    config();
    expect(pi.connection("tree-venue")).not.toContain("[wifi-security]");
  });

  test("wpa3: SAE with protected management frames required", () => {
    pi.writeToml(venue('security = "wpa3"\npassword = "short"'));
    config();
    const keyfile = pi.connection("tree-venue");
    expect(keyfile).toMatch(/^key-mgmt=sae$/m);
    expect(keyfile).toMatch(/^pmf=3$/m);
    expect(keyfile).toMatch(/^psk=short$/m);
  });

  test("wpa2: plain wpa-psk; a password WPA2 cannot take is reported and changes nothing", () => {
    pi.writeToml(venue('security = "wpa2"\npassword = "s3cret-venue"'));
    config();
    expect(pi.connection("tree-venue")).toMatch(/^key-mgmt=wpa-psk$/m);
    expect(pi.connection("tree-venue")).not.toMatch(/^pmf=/m);
    const before = env();
    pi.writeToml(venue('security = "wpa2"\npassword = "short"'));
    config();
    expect(pi.statusText()).toContain("wifi.password: a WPA2 password has 8 to 63 characters");
    expect(env()).toBe(before);
    pi.writeToml(venue('security = "open"\npassword = "s3cret-venue"'));
    config();
    expect(pi.statusText()).toContain('security "open" takes no password');
  });

  test("venue mode keeps the fallback hotspot ready but not autoconnecting, and the DNS catch-all in place", () => {
    pi.writeToml(venue('password = "s3cret-venue"\nfallback_seconds = 45'));
    config();
    const hotspot = pi.connection("tree-hotspot");
    expect(hotspot).toMatch(/^autoconnect=false$/m);
    expect(hotspot).toMatch(/^mode=ap$/m);
    expect(hotspot).toMatch(/^ssid=tree$/m);
    expect(pi.read("NetworkManager/dnsmasq-shared.d/tree-captive.conf")).toBe("address=/#/10.42.0.1\n");
    expect(JSON.parse(pi.read("state/settings.json"))).toMatchObject({ mode: "venue", ssid: "Venue: Hall", security: "auto", fallbackSeconds: 45, password: true });
    // The venue password is not in the file the watcher (and nothing else) needs.
    expect(pi.read("state/settings.json")).not.toContain("s3cret-venue");
    pi.writeToml(venue('password = "s3cret-venue"\nfallback_seconds = 2'));
    config();
    expect(pi.statusText()).toContain("wifi.fallback_seconds: expected a whole number from 10 to 3600, got 2");
  });
});

test("ethernet mode: eth0 shared on 10.42.0.1 with the same DNS catch-all; no Wi-Fi connections", () => {
  pi.writeToml('[wifi]\nmode = "hotspot"\n');
  config();
  expect(pi.hasConnection("tree-hotspot")).toBe(true);
  pi.writeToml('[wifi]\nmode = "ethernet"\n');
  config();
  const keyfile = pi.connection("tree-ethernet");
  expect(keyfile).toMatch(/^type=ethernet$/m);
  expect(keyfile).toMatch(/^interface-name=eth0$/m);
  expect(keyfile).toMatch(/^method=shared$/m);
  expect(keyfile).toMatch(/^address1=10\.42\.0\.1\/24$/m);
  expect(pi.hasConnection("tree-hotspot")).toBe(false);
  expect(pi.hasConnection("tree-venue")).toBe(false);
  expect(pi.read("NetworkManager/dnsmasq-shared.d/tree-captive.conf")).toBe("address=/#/10.42.0.1\n");
  expect(env()).toContain('TREE_PUBLIC_URL="http://10.42.0.1/"');
});

describe("memory limits follow the board's RAM", () => {
  test("a Zero 2 W (512 MiB, ~430 MiB seen by Linux) gets limits that fit; a 4 GiB Pi gets 768 + 256 MiB", () => {
    pi.writeToml("");
    config("--meminfo", pi.writeMeminfo(440_000));
    const small = env();
    const app = Number(/^TREE_MEMORY_LIMIT_APP="(\d+)m"$/m.exec(small)?.[1]);
    const gpio = Number(/^TREE_MEMORY_LIMIT_GPIO="(\d+)m"$/m.exec(small)?.[1]);
    expect(app + gpio).toBeLessThan(440_000 / 1024 * 0.75);
    expect(app).toBeGreaterThanOrEqual(160);
    expect(gpio).toBeGreaterThanOrEqual(96);
    config("--meminfo", pi.writeMeminfo(3_900_000));
    expect(env()).toContain('TREE_MEMORY_LIMIT_APP="768m"');
    expect(env()).toContain('TREE_MEMORY_LIMIT_GPIO="256m"');
  });

  test("compose.env points the app's data at a host directory outside Docker's storage", () => {
    pi.writeToml("");
    config();
    expect(env()).toContain(`TREE_DATA_DIR="${pi.data}"`);
    expect(env()).toContain(`TREE_HOST_STATUS_DIR="${pi.state}"`);
  });
});

test("the first tree-status.txt says the tree is starting, not that all is well", () => {
  pi.writeToml("");
  config();
  const text = pi.statusText();
  expect(text).toContain("State: STARTING");
  expect(text).toContain("In force:");
  expect(text).not.toMatch(/READY/);
});

test("the tree.toml shipped on the card is read without a single note", () => {
  pi.writeToml(readFileSync(join(repoRoot, "image/stage-tree/01-tree/files/tree.toml"), "utf8"));
  const done = config();
  expect(done.stdout).not.toMatch(/PROBLEMS|note:/);
  expect(pi.statusText()).toContain("In force:");
});
