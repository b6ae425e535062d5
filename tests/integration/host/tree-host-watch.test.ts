/**
 * tree-host watch, the real script, against stand-ins for nmcli and docker: joining the
 * venue, falling back to the hotspot with the reason, following the address in force, the
 * LED daemon's fault, and the shape of every status.json it writes (the TypeBox schema the
 * app reads it with).
 */
import { Value } from "@sinclair/typebox/value";
import { afterEach, beforeEach, expect, test, vi } from "vitest";
import { HostStatusSchema, type HostStatus } from "../../../appliance/src/host-status/schema.ts";
import { device, healthyStack, HostSandbox, nm, type World } from "./host-sandbox.ts";

// Each test runs the real script several times on two busy cores; the polls inside wait up to a minute.
vi.setConfig({ testTimeout: 150_000 });

let pi: HostSandbox;
beforeEach(() => {
  pi = new HostSandbox();
});
afterEach(() => pi.cleanup());

const venueToml = (extra = "") => `[wifi]\nmode = "venue"\nssid = "Venue"\npassword = "s3cret-venue"\n${extra}`;

function configure(toml: string, world: World): void {
  pi.writeToml(toml);
  const done = pi.host("config");
  expect(done.status, done.stderr).toBe(0);
  pi.setWorld(world);
  const images = pi.host("images");
  expect(images.status, images.stderr).toBe(0);
}

/** Polls status.json until it matches, checking every version seen against the schema. */
async function statusWhere(match: (status: HostStatus) => boolean, what: string): Promise<HostStatus> {
  let last: HostStatus | null = null;
  await expect
    .poll(() => {
      last = pi.status();
      if (last !== null) expect(Value.Errors(HostStatusSchema, last).First()?.message ?? null, JSON.stringify(last)).toBeNull();
      return last !== null && match(last);
    }, { message: `status.json never showed ${what}; last: ${JSON.stringify(last)}`, timeout: 60_000, interval: 100 })
    .toBe(true);
  return last!;
}

const venueUp = (address: string) => device(nm.activated, "tree-venue", [address]);
const hotspotUp = { device: "wlan0", state: device(nm.activated, "tree-hotspot", ["10.42.0.1"]) };

test("venue join succeeds: ready, with the venue address as publicUrl; a new address updates it", async () => {
  configure(venueToml(), { ...healthyStack, devices: { wlan0: device(nm.config, "tree-venue"), eth0: device(nm.unavailable, null, [], 40) }, scan: [["Venue", "WPA2"]] });
  pi.watch("--fallback-seconds", "600");
  const joining = await statusWhere((s) => s.phase === "waiting-for-network", "waiting-for-network");
  expect(joining.network).toMatchObject({ mode: "venue", active: null, fellBack: false });
  expect(pi.statusText()).toContain("JOINING the venue network");

  pi.updateWorld((w) => (w.devices!.wlan0 = venueUp("192.168.7.23")));
  const ready = await statusWhere((s) => s.phase === "ready", "ready");
  expect(ready.network).toEqual({ mode: "venue", active: "venue", ssid: "Venue", addresses: ["192.168.7.23"], publicUrl: "http://192.168.7.23/", fellBack: false, fallbackReason: null });
  expect(ready.images).toEqual({ result: "loaded", detail: null });
  expect(ready.containers).toEqual({ app: "healthy", gpio: "healthy" });
  expect(ready.led).toEqual({ driver: "spi", lastError: null });
  expect(ready.problems).toEqual([]);
  expect(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/.test(ready.updatedAt)).toBe(true);
  const text = pi.statusText();
  expect(text).toContain("State: READY");
  expect(text).toContain("Address(es): 192.168.7.23");
  expect(text).toContain("Editor address (on the QR code): http://192.168.7.23/");
  expect(text).toContain("Problems: none");

  // The venue's router hands out another address (DHCP lease renewed elsewhere).
  pi.updateWorld((w) => (w.devices!.wlan0 = venueUp("192.168.7.99")));
  const moved = await statusWhere((s) => s.network.publicUrl === "http://192.168.7.99/", "the new address");
  expect(moved.network.addresses).toEqual(["192.168.7.99"]);
  await expect.poll(() => pi.statusText()).toContain("http://192.168.7.99/");
  // Never fell back, so the hotspot was never started.
  expect(pi.calls().some((call) => call.join(" ").includes("connection up tree-hotspot"))).toBe(false);
});

test("wrong password: after fallback_seconds the hotspot comes up and the status says why", async () => {
  configure(venueToml(), {
    ...healthyStack,
    // NetworkManager gave up on the key: "no secrets" (reason 7), device disconnected. (No
    // look at "waiting-for-network" here: on a busy machine the first look may come after 2 s.)
    devices: { wlan0: device(nm.disconnected, null, [], 7), eth0: device(nm.unavailable, null, [], 40) },
    scan: [["Venue", "WPA2"], ["Other", ""]],
    up: { "tree-hotspot": hotspotUp },
  });
  const watcher = pi.watch("--fallback-seconds", "2");
  const fallback = await statusWhere((s) => s.phase === "hotspot-fallback" && s.network.active === "hotspot", "the hotspot fallback");
  expect(fallback.network).toEqual({
    mode: "venue", active: "hotspot", ssid: "tree", addresses: ["10.42.0.1"], publicUrl: "http://10.42.0.1/",
    fellBack: true, fallbackReason: 'Could not join "Venue" within 2 s: wrong password.',
  });
  expect(fallback.problems.some((problem) => problem.startsWith('Could not join "Venue" within 2 s: wrong password.'))).toBe(true);
  const calls = pi.calls().map((call) => call.join(" "));
  expect(calls).toContain("nmcli connection down tree-venue");
  expect(calls).toContain("nmcli --wait 60 connection up tree-hotspot");
  const text = pi.statusText();
  expect(text).toContain("RUNNING ON ITS OWN HOTSPOT");
  expect(text).toContain('Fell back to the hotspot: yes. Could not join "Venue" within 2 s: wrong password.');

  // A watcher restarted by systemd keeps the fallback and its reason for the rest of the boot.
  watcher.kill("SIGKILL");
  await new Promise((done) => watcher.once("exit", done));
  const once = pi.host("watch", "--once", "--fallback-seconds", "600");
  expect(once.status, once.stderr).toBe(0);
  expect(pi.status()!.network).toMatchObject({ fellBack: true, fallbackReason: 'Could not join "Venue" within 2 s: wrong password.' });
  expect(pi.status()!.phase).toBe("hotspot-fallback");
});

/** The reason given when the device only ever reads "connecting" (no reason) until the fallback, and NetworkManager logged `networkJournal`. */
async function fallbackReasonWhenStuckConnecting(networkJournal: string): Promise<string | null> {
  configure(venueToml(), {
    ...healthyStack,
    devices: { wlan0: device(nm.config, "tree-venue"), eth0: device(nm.unavailable, null, [], 40) },
    scan: [["Venue", "WPA2"]],
    up: { "tree-hotspot": hotspotUp },
    networkJournal,
  });
  pi.watch("--fallback-seconds", "2");
  return (await statusWhere((s) => s.network.fellBack, "the fallback")).network.fallbackReason;
}

test("wrong password seen only in NetworkManager's log (the device state moved on between looks): still 'wrong password'", async () => {
  // What the emulated Pi showed: between looks the device only ever read "connecting", no reason.
  const reason = await fallbackReasonWhenStuckConnecting("device (wlan0): Activation: (wifi) disconnected during association, asking for new key\n" +
    "device (wlan0): state change: config -> need-auth (reason 'supplicant-disconnect', sys-iface-state: 'managed')\n");
  expect(reason).toBe('Could not join "Venue" within 2 s: wrong password.');
});

test("a venue that never answers, with nothing in NetworkManager's log about the key: not called a wrong password", async () => {
  const reason = await fallbackReasonWhenStuckConnecting("device (wlan0): state change: disconnected -> prepare (reason 'none', sys-iface-state: 'managed')\n");
  expect(reason).toBe('Could not join "Venue" within 2 s: no answer from the network.');
});

test("a container still starting (before its first health check) keeps the phase at booting", async () => {
  configure('[wifi]\nmode = "hotspot"\n', {
    ...healthyStack,
    devices: { wlan0: device(nm.activated, "tree-hotspot", ["10.42.0.1"]) },
    containers: { "tree-app": { status: "running", health: "starting" }, "tree-gpio": { status: "running", health: "healthy" } },
  });
  expect(pi.host("watch", "--once").status).toBe(0);
  expect(pi.status()!).toMatchObject({ phase: "booting", containers: { app: "starting", gpio: "healthy" }, problems: [] });
  pi.updateWorld((w) => (w.containers = healthyStack.containers));
  expect(pi.host("watch", "--once").status).toBe(0);
  expect(pi.status()!.phase).toBe("ready");
});

test("Docker not answering is a problem an operator can read", async () => {
  configure('[wifi]\nmode = "hotspot"\n', { ...healthyStack, devices: { wlan0: device(nm.activated, "tree-hotspot", ["10.42.0.1"]) } });
  pi.updateWorld((w) => (w.dockerOk = false));
  const once = pi.host("watch", "--once");
  expect(once.status, once.stderr).toBe(0);
  const status = pi.status()!;
  expect(Value.Check(HostStatusSchema, status)).toBe(true);
  expect(status.phase).toBe("booting");
  expect(status.containers).toEqual({ app: null, gpio: null });
  expect(status.problems.some((p) => p.startsWith("Docker is not running."))).toBe(true);
});

test("compose failing again and again is a problem with Docker's own words, gone once the stack starts", async () => {
  const apparmor = "ERROR: for gpio  Cannot start service gpio: AppArmor enabled on system but the docker-default profile could not be loaded";
  configure('[wifi]\nmode = "hotspot"\n', {
    ...healthyStack,
    devices: { wlan0: device(nm.activated, "tree-hotspot", ["10.42.0.1"]) },
    containers: { "tree-gpio": { status: "created" } },
    treeService: { ActiveState: "activating", NRestarts: 2 },
    treeServiceJournal: `Starting tree-gpio ...\n${apparmor}\nEncountered errors while bringing up the project.\nFailed to start tree.service - Christmas-tree LED appliance.\n`,
  });
  // Two tries are still a slow start, not a problem.
  expect(pi.host("watch", "--once").status).toBe(0);
  expect(pi.status()!.problems).toEqual([]);

  pi.updateWorld((w) => (w.treeService = { ActiveState: "activating", NRestarts: 3 }));
  expect(pi.host("watch", "--once").status).toBe(0);
  const failing = pi.status()!;
  expect(Value.Check(HostStatusSchema, failing)).toBe(true);
  expect(failing.phase).toBe("booting");
  expect(failing.problems).toEqual([expect.stringMatching(/^The containers could not be started \(3 tries so far/)]);
  expect(failing.problems[0]).toContain(`Docker said: ${apparmor}`);
  expect(pi.statusText()).toContain("AppArmor enabled on system");

  pi.updateWorld((w) => {
    w.treeService = { ActiveState: "active", NRestarts: 4 };
    w.containers = healthyStack.containers;
  });
  expect(pi.host("watch", "--once").status).toBe(0);
  expect(pi.status()!.problems).toEqual([]);
});

test("a venue network that is not there: the reason says so", async () => {
  configure(venueToml(), {
    ...healthyStack,
    devices: { wlan0: device(nm.disconnected, null, [], 53) },
    scan: [["Somebody else", "WPA2"]],
    up: { "tree-hotspot": hotspotUp },
  });
  pi.watch("--fallback-seconds", "1");
  const fallback = await statusWhere((s) => s.network.fellBack, "the fallback");
  expect(fallback.network.fallbackReason).toMatch(/^Could not join "Venue" within 1 s: network not found/);
});

test("security auto and a WPA3-only network: the connection is switched to SAE, also when the first scan missed it", async () => {
  configure(venueToml(), {
    ...healthyStack,
    devices: { wlan0: device(nm.config, "tree-venue") },
    scan: [],
  });
  pi.watch("--fallback-seconds", "60");
  await expect.poll(() => pi.calls().some((call) => call.join(" ").includes("device wifi list"))).toBe(true);
  pi.updateWorld((w) => (w.scan = [["Venue", "WPA3"]]));
  await expect
    .poll(() => pi.calls().map((call) => call.join(" ")), { timeout: 60_000 })
    .toContain("nmcli connection modify tree-venue wifi-sec.key-mgmt sae wifi-sec.pmf 3");
});

test("a hotspot that cannot start is a problem; ethernet without a cable says to plug it in", async () => {
  configure(venueToml(), {
    ...healthyStack,
    devices: { wlan0: device(nm.disconnected, null, [], 7) },
    scan: [["Venue", "WPA2"]],
    upFails: { "tree-hotspot": "Error: Connection activation failed: No suitable device found." },
  });
  pi.watch("--fallback-seconds", "1");
  const stuck = await statusWhere((s) => s.network.fellBack && s.problems.some((p) => p.startsWith("The fallback hotspot does not start")), "the hotspot problem");
  expect(stuck.phase).toBe("hotspot-fallback");
  expect(stuck.network.active).toBe(null);
  pi.cleanup();

  pi = new HostSandbox();
  configure('[wifi]\nmode = "ethernet"\n', { ...healthyStack, devices: { wlan0: device(nm.disconnected), eth0: device(nm.unavailable, null, [], 40) } });
  pi.watch();
  const noCable = await statusWhere((s) => s.problems.some((p) => p.startsWith("No carrier on the Ethernet port")), "no carrier");
  expect(noCable.phase).toBe("booting");
  pi.updateWorld((w) => (w.devices!.eth0 = device(nm.activated, "tree-ethernet", ["10.42.0.1"])));
  const up = await statusWhere((s) => s.phase === "ready", "ready on ethernet");
  expect(up.network).toMatchObject({ mode: "ethernet", active: "ethernet", publicUrl: "http://10.42.0.1/", addresses: ["10.42.0.1"] });
});

test("the LED daemon cannot start: led-fault with its error, cleared when it renders again", async () => {
  configure('[wifi]\nmode = "hotspot"\n', {
    ...healthyStack,
    devices: { wlan0: device(nm.activated, "tree-hotspot", ["10.42.0.1"]) },
    containers: { "tree-app": { status: "running", health: "healthy" }, "tree-gpio": { status: "restarting" } },
    daemon: null,
    gpioLogs: "tree-gpio: cannot start: /dev/spidev0.0: no such file or directory (is SPI on?)\n",
  });
  pi.watch("--led-refresh-seconds", "0.5");
  const fault = await statusWhere((s) => s.phase === "led-fault", "led-fault");
  expect(fault.led).toEqual({ driver: null, lastError: "tree-gpio: cannot start: /dev/spidev0.0: no such file or directory (is SPI on?)" });
  expect(fault.containers.gpio).toBe("restarting");
  expect(fault.problems.some((p) => p.includes("The LED driver reports: tree-gpio: cannot start"))).toBe(true);
  expect(pi.statusText()).toContain("LED FAULT");

  // The daemon comes back and renders: the fault clears, the last error stays on record.
  pi.updateWorld((w) => {
    w.containers!["tree-gpio"] = { status: "running", health: "healthy", started: "2026-12-03T15:00:00Z" };
    w.daemon = healthyStack.daemon!;
    w.gpioLogs = `${w.gpioLogs}tree-gpio: listening on /run/tree/gpio.sock: 100 leds, GRB, driver spi\n`;
  });
  const ready = await statusWhere((s) => s.phase === "ready", "ready again");
  expect(ready.led.driver).toBe("spi");

  // Running, but the driver fails on frames: the daemon's snapshot says so.
  pi.updateWorld((w) => (w.daemon = { ...healthyStack.daemon!, snapshot: { ok: true, driverError: "SPI write failed: EIO" } }));
  const failing = await statusWhere((s) => s.phase === "led-fault", "led-fault from the snapshot");
  expect(failing.led).toEqual({ driver: "spi", lastError: "SPI write failed: EIO" });
});
