/**
 * `venue wpa2`, `venue open`, `venue wpa3`, `venue wrong password falls back`: the
 * operator sets venue mode in tree.toml (written on the stopped VM's boot partition, as
 * on a laptop) and powers the tree on; an access point runs on the second radio in its
 * own namespace with DHCP. The tree must join it and serve the editor at the address
 * it got, and /qr must show that address; with a wrong password it must bring up its
 * hotspot after fallback_seconds and say why (status.json, tree-status.txt).
 */
import { copyFileSync } from "node:fs";
import { type Bench } from "../bench.ts";
import { writeBootFile } from "../disk.ts";
import { expect, hostStatus, must, poll } from "../guest.ts";
import type { Vm, VmFiles } from "../vm.ts";
import { accessPointLog, claimSecondRadio, inNamespace, releaseSecondRadio, startAccessPoint, venueSubnet, type Security } from "../wifi-peer.ts";
import { hotspotToml, ledCount } from "./first-boot.ts";

const venueSsid = "Venue Guest";
const venuePassword = "mulled-wine-42";
const accessPoint = "venue";
/** Long enough that a slow emulated boot never falls back before it could join; the wrong-password case uses the default. */
const joinFallbackSeconds = 600;
const wrongPasswordFallbackSeconds = 60;

function venueToml(security: Security, password: string, fallbackSeconds: number): string {
  return `[leds]
count = ${ledCount}
driver = "simulator"

[wifi]
mode = "venue"
ssid = "${venueSsid}"
password = "${password}"
security = "${security}"
fallback_seconds = ${fallbackSeconds}
`;
}

/** What the tree says about its network, for a failure message. */
async function networkReport(vm: Vm): Promise<string> {
  const status = await hostStatus(vm).catch(() => undefined);
  const treeStatus = await vm.agent.run(["cat", "/boot/firmware/tree-status.txt"]);
  const nm = await vm.agent.run(["nmcli", "-t", "-f", "NAME,DEVICE,STATE", "connection", "show"]);
  return [`status.json: ${status ? JSON.stringify(status.network) : "absent"}`,
    `tree-status.txt:\n${treeStatus.stdout.trim()}`, `NetworkManager connections:\n${nm.stdout.trim()}`].join("\n");
}

async function venueAddress(vm: Vm): Promise<string | undefined> {
  const answer = await vm.agent.run(["ip", "-4", "-o", "addr", "show", "dev", "wlan0"]);
  return new RegExp(`inet (${venueSubnet.replace(/\./g, "\\.")}\\.\\d+)/`).exec(answer.stdout)?.[1];
}

async function joinsVenue(bench: Bench, vm: Vm, security: Security): Promise<void> {
  let address: string | undefined;
  try {
    address = await poll(`the tree to join "${venueSsid}" (${security}) and get an address`, 8 * 60_000, () => venueAddress(vm), 5000);
  } catch (error) {
    throw new Error(`${(error as Error).message}\n${await networkReport(vm)}\naccess point log:\n${await accessPointLog(vm, accessPoint)}`);
  }
  bench.log(`the tree joined "${venueSsid}" (${security}) as ${address}`);
  await poll("the stack healthy", 10 * 60_000, async () => {
    const editor = await vm.agent.run(inNamespace(accessPoint, ["curl", "-sS", "--max-time", "60", "-o", "/dev/null", "-w", "%{http_code}", `http://${address}/editor`]), { timeoutMs: 90_000 });
    return editor.stdout.trim() === "200" ? true : undefined;
  }, 5000);
  bench.log(`a phone on the venue network opens http://${address}/editor`);
  // /qr opened under another address (the forwarded port) must still print the venue
  // address: the page draws its QR code from /api/site's publicUrl (frontend/src/entries/qr.ts).
  const qr = await fetch(vm.url("/qr"), { signal: AbortSignal.timeout(60_000) });
  expect(qr.status === 200, `/qr answered ${qr.status}`);
  await poll(`/api/site to give the venue address http://${address}/ for /qr`, 2 * 60_000, async () => {
    const site = (await (await fetch(vm.url("/api/site"), { signal: AbortSignal.timeout(60_000) })).json()) as { publicUrl?: string | null; publicUrlSource?: string | null };
    if (site.publicUrl === `http://${address}/` && site.publicUrlSource === "host") return true;
    throw new Error(`publicUrl ${JSON.stringify(site.publicUrl)} from ${JSON.stringify(site.publicUrlSource)}`);
  });
  const status = await hostStatus(vm);
  const network = status?.network as { active?: string; ssid?: string; addresses?: string[] } | undefined;
  expect(network?.active === "venue" && network.ssid === venueSsid && (network.addresses ?? []).includes(address),
    `status.json does not report the venue network in force: ${JSON.stringify(status?.network ?? "absent")}`);
}

async function fallsBack(bench: Bench, vm: Vm): Promise<void> {
  const started = performance.now();
  let status: Record<string, unknown> | undefined;
  try {
    status = await poll("status.json to report the hotspot fallback", 12 * 60_000, async () => {
      const current = await hostStatus(vm);
      const network = current?.network as { fellBack?: boolean; active?: string } | undefined;
      return network?.fellBack === true && network.active === "hotspot" ? current : undefined;
    }, 5000);
  } catch (error) {
    throw new Error(`${(error as Error).message}\n${await networkReport(vm)}`);
  }
  const network = status.network as { fallbackReason?: string | null };
  expect(typeof network.fallbackReason === "string" && network.fallbackReason.length > 0, "the fallback has no reason in status.json");
  expect(network.fallbackReason.includes("wrong password"), `the reason does not name the wrong password: "${network.fallbackReason}"`);
  expect(status.phase === "hotspot-fallback", `phase is ${String(status.phase)}, not hotspot-fallback`);
  bench.log(`fell back after ~${((performance.now() - started) / 1000).toFixed(0)} s of polling: "${network.fallbackReason}"`);
  const active = await must(vm, ["nmcli", "-t", "-f", "NAME,DEVICE", "connection", "show", "--active"]);
  expect(/hotspot.*:wlan0/m.test(active.stdout), `the hotspot is not up on wlan0:\n${active.stdout}`);
  const treeStatus = await must(vm, ["cat", "/boot/firmware/tree-status.txt"]);
  expect(treeStatus.stdout.includes(network.fallbackReason!), `tree-status.txt does not give the reason:\n${treeStatus.stdout}`);
}

interface VenueCase {
  name: string;
  security: Security;
  treePassword: string;
  apPassword: string;
  fallbackSeconds: number;
  check: (bench: Bench, vm: Vm) => Promise<void>;
}

const cases: VenueCase[] = [
  { name: "venue wpa2", security: "wpa2", treePassword: venuePassword, apPassword: venuePassword, fallbackSeconds: joinFallbackSeconds, check: (b, v) => joinsVenue(b, v, "wpa2") },
  { name: "venue open", security: "open", treePassword: "", apPassword: "", fallbackSeconds: joinFallbackSeconds, check: (b, v) => joinsVenue(b, v, "open") },
  { name: "venue wpa3", security: "wpa3", treePassword: venuePassword, apPassword: venuePassword, fallbackSeconds: joinFallbackSeconds, check: (b, v) => joinsVenue(b, v, "wpa3") },
  { name: "venue wrong password falls back", security: "wpa2", treePassword: "not-the-password", apPassword: venuePassword, fallbackSeconds: wrongPasswordFallbackSeconds, check: fallsBack },
];

export const venueScenarioNames = cases.map((c) => c.name);

/** Runs the venue cases on one disk, one boot each; starts from `after` (a booted card) when given. */
export async function venueGroup(bench: Bench, after: VmFiles | undefined): Promise<void> {
  const files = bench.freshGroup("venue", hotspotToml);
  if (after) copyFileSync(after.overlay, files.overlay);
  if (after) copyFileSync(after.bootImage, files.bootImage);
  let bootNumber = 0;
  for (const venue of cases) {
    writeBootFile(files.bootImage, "tree.toml", venueToml(venue.security, venue.treePassword, venue.fallbackSeconds));
    let vm: Vm | undefined;
    await bench.scenario(venue.name, async () => {
      vm = (await bench.boot(files, ++bootNumber)).vm;
      await claimSecondRadio(vm, accessPoint);
      await startAccessPoint(vm, accessPoint, venueSsid, venue.apPassword, venue.security);
      await venue.check(bench, vm);
    });
    if (vm) {
      await releaseSecondRadio(vm, accessPoint).catch(() => {});
      await vm.shutdown();
    }
    bench.current = undefined;
  }
}
