/**
 * /qr: a printable sheet with the QR code of the editor's URL, and a Wi-Fi join code when the
 * hotspot is the way in (GET /api/site: publicUrl, wifi). publicUrl is the operator's configured
 * one, else the address the tree's network is in force at (tree-host); without either the page
 * uses the address it was opened at. The page asks again every few seconds and redraws when the
 * address changes (a venue's DHCP, a fallback to the hotspot).
 */
import type { Static } from "@sinclair/typebox";
import type { SiteSchema } from "../../../appliance/src/modules/queue/index.ts";
import { qrSvg } from "../qr/qr-svg.ts";
import { wifiPayload } from "../qr/wifi.ts";
import { replaceChildren, required } from "../shared/dom.ts";
import { requestJson } from "../shared/http.ts";

type Site = Static<typeof SiteSchema>;

/** How often the sheet checks whether the address in force changed. */
const refreshMs = 5000;
let shown = "";

const sourceText: Record<NonNullable<Site["publicUrlSource"]>, string> = {
  config: "the address set in the tree's config",
  host: "the address the tree's network is on now",
};

async function render(site: Site): Promise<void> {
  const base = site.publicUrl !== null && /^https?:\/\//.test(site.publicUrl) ? site.publicUrl.replace(/\/+$/, "") : location.origin;
  const editorUrl = `${base}/editor`;
  const key = JSON.stringify([editorUrl, site.wifi, site.publicUrlSource]);
  if (key === shown) return;
  shown = key;

  replaceChildren(required("[data-editor-qr]"), await qrSvg(editorUrl, `QR code for ${editorUrl}`));
  required("[data-editor-url]").textContent = editorUrl;
  required("[data-address-source]").textContent =
    site.publicUrlSource === null ? "This page's own address." : `From ${sourceText[site.publicUrlSource]}.`;

  const wifiCard = required("[data-wifi-card]");
  if (site.wifi !== null && site.wifi.ssid !== "") {
    const { ssid } = site.wifi;
    const password = site.wifi.password ?? undefined;
    replaceChildren(required("[data-wifi-qr]"), await qrSvg(wifiPayload({ ssid, password }), `Wi-Fi code for ${ssid}`));
    required("[data-wifi-name]").textContent = password === undefined ? `Network “${ssid}”` : `Network “${ssid}”, password “${password}”`;
    wifiCard.hidden = false;
    required("[data-editor-step]").textContent = "2. Open the editor";
  } else {
    wifiCard.hidden = true;
    required("[data-editor-step]").textContent = "Open the editor";
  }
}

async function refresh(): Promise<void> {
  const answer = await requestJson<Site>("/api/site");
  // Unreachable for a moment: keep what is shown rather than fall back to another address.
  if (!answer.ok && shown !== "") return;
  await render(answer.ok ? answer.data : { publicUrl: null, publicUrlSource: null, wifi: null, operatorEnabled: false });
}

required("[data-print]").addEventListener("click", () => print());
void refresh();
setInterval(() => void refresh(), refreshMs);
