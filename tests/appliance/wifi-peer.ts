/**
 * The other end of the tree's Wi-Fi, on the VM's second mac80211_hwsim radio (wlan1)
 * moved into a network namespace of its own, so its traffic reaches the tree (wlan0)
 * only over the simulated air: a phone (wpa_supplicant + dhclient + dig + curl) or a
 * venue access point (hostapd + dnsmasq for DHCP). TEST ONLY tools (rootfs.ts).
 */
import { expect, must, poll } from "./guest.ts";
import type { Vm } from "./vm.ts";

const work = "/run/tree-emu";

/** `ip netns exec NS argv` in the VM. */
export function inNamespace(namespace: string, argv: readonly string[]): string[] {
  return ["ip", "netns", "exec", namespace, ...argv];
}

/** Moves wlan1's radio into a fresh namespace and brings the link up there. */
export async function claimSecondRadio(vm: Vm, namespace: string): Promise<void> {
  await must(vm, ["sh", "-ec", [
    `mkdir -p ${work} /etc/netns/${namespace}`,
    `: > /etc/netns/${namespace}/resolv.conf`,
    `ip netns add ${namespace}`,
    "phy=$(cat /sys/class/net/wlan1/phy80211/name)",
    `iw phy "$phy" set netns name ${namespace}`,
    `ip -n ${namespace} link set lo up`,
    `ip -n ${namespace} link set wlan1 up`,
  ].join("\n")]);
}

/** Stops what runs in the namespace and deletes it (the radio returns to the VM's main namespace). */
export async function releaseSecondRadio(vm: Vm, namespace: string): Promise<void> {
  await vm.agent.run(["sh", "-c", [
    `for pid in $(ip netns pids ${namespace} 2>/dev/null); do kill "$pid"; done`,
    "sleep 1",
    `for pid in $(ip netns pids ${namespace} 2>/dev/null); do kill -9 "$pid"; done`,
    `ip netns del ${namespace}`,
  ].join("\n")], { timeoutMs: 60_000 });
}

export type Security = "open" | "wpa2" | "wpa3";

/** A station (phone) joins `ssid`; returns its DHCP address. */
export async function joinAsPhone(vm: Vm, namespace: string, ssid: string, password: string, security: Security): Promise<string> {
  const network = security === "open" ? `ssid="${ssid}"\n  key_mgmt=NONE`
    : security === "wpa3" ? `ssid="${ssid}"\n  key_mgmt=SAE\n  sae_password="${password}"\n  ieee80211w=2`
    : `ssid="${ssid}"\n  key_mgmt=WPA-PSK\n  psk="${password}"`;
  await must(vm, ["sh", "-c", `cat > ${work}/${namespace}-wpa.conf`], { input: `ctrl_interface=${work}/${namespace}-wpa\nnetwork={\n  ${network}\n}\n` });
  await must(vm, inNamespace(namespace, ["wpa_supplicant", "-B", "-D", "nl80211", "-i", "wlan1", "-c", `${work}/${namespace}-wpa.conf`, "-f", `${work}/${namespace}-wpa.log`]));
  await poll(`the phone to associate with "${ssid}"`, 3 * 60_000, async () => {
    const link = await vm.agent.run(inNamespace(namespace, ["iw", "dev", "wlan1", "link"]));
    return link.stdout.includes("Connected to") ? true : undefined;
  });
  await must(vm, inNamespace(namespace, ["dhclient", "-1", "-v", "-pf", `${work}/${namespace}-dhclient.pid`, "-lf", `${work}/${namespace}-dhclient.leases`, "wlan1"]), { timeoutMs: 3 * 60_000 });
  const address = await must(vm, ["ip", "-n", namespace, "-4", "-o", "addr", "show", "dev", "wlan1"]);
  const found = /inet (\d+\.\d+\.\d+\.\d+)\//.exec(address.stdout)?.[1];
  expect(found !== undefined, `the phone got no IPv4 address: ${address.stdout}`);
  return found;
}

export const venueSubnet = "192.168.77";
export const venueRouter = `${venueSubnet}.1`;

/** A venue access point on the second radio: hostapd with the given security, DHCP from dnsmasq. */
export async function startAccessPoint(vm: Vm, namespace: string, ssid: string, password: string, security: Security): Promise<void> {
  const securityLines = security === "open" ? []
    : security === "wpa3" ? ["wpa=2", "wpa_key_mgmt=SAE", "rsn_pairwise=CCMP", `sae_password=${password}`, "ieee80211w=2", "sae_require_mfp=1"]
    : ["wpa=2", "wpa_key_mgmt=WPA-PSK", "rsn_pairwise=CCMP", `wpa_passphrase=${password}`];
  const config = ["interface=wlan1", "driver=nl80211", `ssid=${ssid}`, "hw_mode=g", "channel=6", "country_code=GB", ...securityLines, ""].join("\n");
  await must(vm, ["sh", "-c", `cat > ${work}/${namespace}-hostapd.conf`], { input: config });
  await must(vm, inNamespace(namespace, ["hostapd", "-B", "-P", `${work}/${namespace}-hostapd.pid`, "-f", `${work}/${namespace}-hostapd.log`, `${work}/${namespace}-hostapd.conf`]));
  await must(vm, ["ip", "-n", namespace, "addr", "add", `${venueRouter}/24`, "dev", "wlan1"]);
  await must(vm, inNamespace(namespace, ["dnsmasq", "--conf-file=/dev/null", "--port=0", "--interface=wlan1", "--bind-interfaces",
    `--dhcp-range=${venueSubnet}.10,${venueSubnet}.50,12h`, `--dhcp-leasefile=${work}/${namespace}-leases`, `--pid-file=${work}/${namespace}-dnsmasq.pid`]));
}

/** The access point's log, for a failure message. */
export async function accessPointLog(vm: Vm, namespace: string): Promise<string> {
  const answer = await vm.agent.run(["tail", "-n", "15", `${work}/${namespace}-hostapd.log`]);
  return answer.stdout;
}
