/**
 * The top of the operator view: the LED daemon (online, driver, current draw, limiter) and the
 * appliance as tree-host reports it (network, images, containers, LED driver, problems). Every
 * value is text from a schema; whatever a host or daemon says is shown as text, never HTML.
 */
import type { Static } from "@sinclair/typebox";
import type { ApplianceHealthSchema } from "../../../appliance/src/modules/operator/model.ts";
import type { HostPhase, HostStatus } from "../../../appliance/src/host-status/schema.ts";
import { el, replaceChildren, required } from "../shared/dom.ts";

type Health = Static<typeof ApplianceHealthSchema>;
type Fact = [label: string, value: string];

const daemonCard = required("[data-daemon-card]");
const hostCard = required("[data-host-card]");

/** The phase as the operator reads it, with the colour the tree shows for it (docs/OPERATOR.md). */
const phaseText: Record<HostPhase, string> = {
  booting: "Booting (the tree pulses amber)",
  "waiting-for-network": "Waiting for the network (the tree pulses blue)",
  "hotspot-fallback": "Fell back to its own hotspot (the tree pulses purple)",
  ready: "Ready",
  "led-fault": "LED fault (the tree blinks red, if it can)",
};

function facts(list: HTMLElement, entries: Fact[]): void {
  replaceChildren(list, ...entries.flatMap(([label, value]) => [el("dt", {}, label), el("dd", {}, value)]));
}

function setState(card: HTMLElement, kind: "ok" | "warning" | "error" | "unknown", text: string): void {
  card.dataset.state = kind;
  required("[data-daemon-state], [data-host-state]", card).textContent = text;
}

const milliamps = (value: number) => `${Math.round(value)} mA`;

function showDaemon(daemon: Health["daemon"]): void {
  if (!daemon.online) {
    setState(daemonCard, "error", "Unreachable: the LED daemon does not answer. Programs still run, but the tree stays dark.");
  } else setState(daemonCard, daemon.lastError === null ? "ok" : "warning", "Online");
  const list: Fact[] = [["Driver", daemon.driver ?? "unknown"]];
  if (daemon.ledCount !== null) list.push(["LEDs", String(daemon.ledCount)]);
  if (daemon.milliamps !== null) {
    list.push(["Current draw (estimate)", daemon.budgetMilliamps === null ? milliamps(daemon.milliamps) : `${milliamps(daemon.milliamps)} of ${milliamps(daemon.budgetMilliamps)}`]);
  }
  if (daemon.limiterActive !== null) {
    list.push(["Current limiter", daemon.limiterActive ? `Active: the frame asked for ${milliamps(daemon.requestedMilliamps ?? 0)}` : "Not active"]);
  }
  if (daemon.brightnessCapPercent !== null) list.push(["Brightness cap", `${daemon.brightnessCapPercent} %`]);
  if (daemon.lastError !== null) list.push(["Last error", daemon.lastError]);
  facts(required("[data-daemon-facts]", daemonCard), list);
}

function networkFacts(network: HostStatus["network"]): Fact[] {
  const active = network.active ?? "none";
  return [
    ["Network", network.active === network.mode ? network.mode : `${network.mode} configured, ${active} in use`],
    ["Wi-Fi name", network.ssid ?? "none"],
    ["Addresses", network.addresses.length === 0 ? "none" : network.addresses.join(", ")],
    ["Address visitors use", network.publicUrl],
    ["Fell back to hotspot", network.fellBack ? `Yes: ${network.fallbackReason ?? "no reason given"}` : "No"],
  ];
}

function showHost(host: Health["host"]): void {
  const problems = required("[data-host-problems]", hostCard);
  const status = host.status;
  if (status === null) {
    setState(hostCard, host.state === "not-on-appliance" ? "unknown" : "warning", host.reason ?? "Unknown");
    facts(required("[data-host-facts]", hostCard), []);
    problems.hidden = true;
    return;
  }
  const kind = status.phase === "ready" ? (status.problems.length === 0 ? "ok" : "warning") : status.phase === "led-fault" ? "error" : "warning";
  setState(hostCard, kind, phaseText[status.phase]);
  facts(required("[data-host-facts]", hostCard), [
    ...networkFacts(status.network),
    ["Images", status.images.detail === null ? status.images.result : `${status.images.result}: ${status.images.detail}`],
    ["Containers", `app ${status.containers.app ?? "unknown"}, LED daemon ${status.containers.gpio ?? "unknown"}`],
    ["LED driver", status.led.driver ?? "unknown"],
    ["LED driver's last error", status.led.lastError ?? "none"],
    ["Reported at", status.updatedAt],
  ]);
  replaceChildren(problems, ...status.problems.map((problem) => el("li", {}, problem)));
  problems.hidden = status.problems.length === 0;
}

export function showHealth(health: Health): void {
  showDaemon(health.daemon);
  showHost(health.host);
}
