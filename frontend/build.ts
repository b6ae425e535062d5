/**
 * buildFrontend(outDir): writes the built frontend to a directory and prints each file's size and
 * the gzip size of what the editor page loads. scripts/build.ts calls it before compiling tree-app;
 * the binary itself does not need these files (assets.ts embeds the bundle through a macro), they
 * are there to inspect and to measure. `bun frontend/build.ts [DIR]` does the same from the shell.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "bun";
import { bundleFrontend, type BuiltAsset } from "./build/bundle.ts";

export interface FrontendReport {
  files: { path: string; bytes: number; gzipBytes: number }[];
  /** HTML, CSS and scripts the editor page loads before it is usable (its module graph). */
  editorPage: { bytes: number; gzipBytes: number; files: string[] };
}

export async function buildFrontend(outDir: string): Promise<FrontendReport> {
  const assets = await bundleFrontend();
  // Files are only added, never deleted: outDir comes from the caller, and stale hashed names are harmless.
  for (const asset of assets) {
    const file = join(outDir, asset.path === "/" ? "index.html" : asset.path.startsWith("/assets/") ? asset.path.slice(1) : `${asset.path.slice(1)}.html`);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, asset.body);
  }
  const report = reportSizes(assets);
  for (const file of report.files) console.log(`  ${file.path.padEnd(40)} ${kib(file.bytes).padStart(10)}  gzip ${kib(file.gzipBytes).padStart(9)}`);
  console.log(`  editor page loads ${report.editorPage.files.length} files: ${kib(report.editorPage.bytes)}, gzip ${kib(report.editorPage.gzipBytes)}`);
  return report;
}

export function reportSizes(assets: BuiltAsset[]): FrontendReport {
  const byPath = new Map(assets.map((asset) => [asset.path, asset]));
  const files = assets.map((asset) => ({ path: asset.path, bytes: Buffer.byteLength(asset.body), gzipBytes: gzipSync(asset.body).byteLength }));
  const sizes = new Map(files.map((file) => [file.path, file]));
  const loaded = editorPageFiles(byPath);
  return {
    files,
    editorPage: {
      files: loaded,
      bytes: loaded.reduce((sum, path) => sum + sizes.get(path)!.bytes, 0),
      gzipBytes: loaded.reduce((sum, path) => sum + sizes.get(path)!.gzipBytes, 0),
    },
  };
}

/** The editor HTML plus everything it references, following static imports between chunks. */
function editorPageFiles(byPath: Map<string, BuiltAsset>): string[] {
  const seen = new Set<string>(["/editor"]);
  const queue = ["/editor"];
  while (queue.length > 0) {
    const body = byPath.get(queue.shift()!)!.body;
    for (const match of body.matchAll(/(?:src|href)="(\/assets\/[^"]+)"|from"\.\/([^"]+)"|import"\.\/([^"]+)"/g)) {
      const path = match[1] ?? `/assets/${match[2] ?? match[3]}`;
      if (!seen.has(path) && byPath.has(path)) {
        seen.add(path);
        queue.push(path);
      }
    }
  }
  return [...seen];
}

function kib(bytes: number): string {
  return `${(bytes / 1024).toFixed(1)} KiB`;
}

if (import.meta.main) await buildFrontend(process.argv[2] ?? fileURLToPath(new URL("../dist/frontend", import.meta.url)));
