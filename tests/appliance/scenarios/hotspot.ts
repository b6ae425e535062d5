/**
 * `hotspot captive portal`: a phone on the second radio joins the tree's hotspot, gets
 * an address, resolves any name to the tree, is redirected to the editor by the
 * Android probe, and after one page load is told "online".
 */
import type { Bench } from "../bench.ts";
import { expect, must, poll } from "../guest.ts";
import type { Vm } from "../vm.ts";
import { claimSecondRadio, inNamespace, joinAsPhone, releaseSecondRadio } from "../wifi-peer.ts";
import { hotspotPassword, hotspotSsid } from "./first-boot.ts";

const hotspotAddress = "10.42.0.1";
const phone = "phone";

async function curl(vm: Vm, url: string): Promise<string> {
  const answer = await must(vm, inNamespace(phone, ["curl", "-sS", "--max-time", "90", "-o", "/dev/null", "-w", "%{http_code} %{redirect_url}", url]), { timeoutMs: 120_000 });
  return answer.stdout.trim();
}

export async function hotspotCaptivePortal(bench: Bench, vm: Vm): Promise<void> {
  await poll("the tree's hotspot on wlan0 (NetworkManager)", 5 * 60_000, async () => {
    const active = await vm.agent.run(["nmcli", "-t", "-f", "NAME,DEVICE", "connection", "show", "--active"]);
    return /:wlan0$/m.test(active.stdout) && active.stdout.includes("hotspot") ? true : undefined;
  });
  await claimSecondRadio(vm, phone);
  try {
    const address = await joinAsPhone(vm, phone, hotspotSsid, hotspotPassword, "wpa2");
    expect(address.startsWith("10.42.0."), `the phone got ${address}, not an address of the hotspot's 10.42.0.0/24`);
    bench.log(`the phone joined "${hotspotSsid}" and got ${address}`);
    for (const name of ["connectivitycheck.gstatic.com", "captive.apple.com", "anything.example"]) {
      const answer = await must(vm, inNamespace(phone, ["dig", "+short", "+time=10", "+tries=3", name]));
      expect(answer.stdout.trim() === hotspotAddress, `${name} resolves to "${answer.stdout.trim()}" on the hotspot, not ${hotspotAddress}`);
    }
    bench.log(`every name resolves to ${hotspotAddress}`);
    const probe = "http://connectivitycheck.gstatic.com/generate_204";
    const first = await curl(vm, probe);
    expect(first.startsWith("302 ") && first.endsWith("/editor"), `the Android probe got "${first}", not a redirect to the editor`);
    const page = await curl(vm, `http://${hotspotAddress}/editor`);
    expect(page.startsWith("200"), `the editor answered ${page}`);
    const after = await curl(vm, probe);
    expect(after.startsWith("204"), `after a page load the probe got "${after}", not 204 (online)`);
    bench.log(`probe → ${first}; editor → 200; probe again → 204`);
  } finally {
    await releaseSecondRadio(vm, phone);
  }
}
