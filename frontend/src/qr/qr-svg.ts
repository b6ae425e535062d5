/** A QR code as an SVG element, drawn by the qrcode package (never a hand-made encoder). */
import QRCode from "qrcode";

export async function qrSvg(text: string, label: string): Promise<SVGSVGElement> {
  const markup = await QRCode.toString(text, { type: "svg", margin: 2, errorCorrectionLevel: "M", color: { dark: "#000000", light: "#ffffff" } });
  // Parsed as SVG (no script runs in a parsed document) and adopted, rather than set as innerHTML.
  const parsed = new DOMParser().parseFromString(markup, "image/svg+xml").documentElement;
  if (parsed.nodeName !== "svg") throw new Error("qrcode produced no SVG");
  const svg = document.importNode(parsed, true) as unknown as SVGSVGElement;
  svg.setAttribute("role", "img");
  svg.setAttribute("aria-label", label);
  return svg;
}
