/**
 * /qr: a printable sheet with the QR code of the editor's URL, and a Wi-Fi join code when the
 * operator configured one (GET /api/site: publicUrl, wifi). Without publicUrl the page uses the
 * address it was opened at.
 */
import type { Static } from "@sinclair/typebox";
import type { SiteSchema } from "../../../appliance/src/modules/queue/index.ts";
import { qrSvg } from "../qr/qr-svg.ts";
import { wifiPayload } from "../qr/wifi.ts";
import { replaceChildren, required } from "../shared/dom.ts";
import { requestJson } from "../shared/http.ts";

type Site = Static<typeof SiteSchema>;

async function main(): Promise<void> {
  const answer = await requestJson<Site>("/api/site");
  const site: Site = answer.ok ? answer.data : { publicUrl: null, publicUrlSource: null, wifi: null, operatorEnabled: false };
  const base = site.publicUrl !== null && /^https?:\/\//.test(site.publicUrl) ? site.publicUrl.replace(/\/+$/, "") : location.origin;
  const editorUrl = `${base}/editor`;

  replaceChildren(required("[data-editor-qr]"), await qrSvg(editorUrl, `QR code for ${editorUrl}`));
  required("[data-editor-url]").textContent = editorUrl;

  if (site.wifi !== null && site.wifi.ssid !== "") {
    const { ssid } = site.wifi;
    const password = site.wifi.password ?? undefined;
    replaceChildren(required("[data-wifi-qr]"), await qrSvg(wifiPayload({ ssid, password }), `Wi-Fi code for ${ssid}`));
    required("[data-wifi-name]").textContent = password === undefined ? `Network “${ssid}”` : `Network “${ssid}”, password “${password}”`;
    required("[data-wifi-card]").hidden = false;
    required("[data-editor-step]").textContent = "2. Open the editor";
  }
}

required("[data-print]").addEventListener("click", () => print());
void main();
