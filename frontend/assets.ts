/**
 * The pages and assets the server sends, keyed by URL path ("/", "/editor", "/assets/editor-x1y2.js").
 * The bundle is produced by a macro: inlined at compile time in the tree-app binary, rebuilt from
 * the sources on every start in development. See frontend/README.md.
 */
import { embeddedFrontend } from "./build/embed.ts" with { type: "macro" };

export interface Asset {
  body: Uint8Array;
  contentType: string;
}

export async function loadAssets(): Promise<Map<string, Asset>> {
  const encoder = new TextEncoder();
  const assets = new Map<string, Asset>();
  for (const file of embeddedFrontend()) assets.set(file.path, { body: encoder.encode(file.body), contentType: file.contentType });
  return assets;
}
