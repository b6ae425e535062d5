/**
 * Run as a Bun macro by frontend/assets.ts: at bundle time (`bun build --compile`) its result is
 * inlined into the binary as a literal, so the compiled tree-app carries the whole frontend; when
 * the server runs from source, Bun runs the macro as it loads assets.ts, so every start serves the
 * current sources. Tools that ignore macros (vitest) simply call it at run time.
 */
import { fileURLToPath } from "node:url";
import type { BuiltAsset } from "./bundle.ts";

export function embeddedFrontend(): BuiltAsset[] {
  const cli = fileURLToPath(new URL("cli.ts", import.meta.url));
  const child = Bun.spawnSync([process.execPath, cli], { stdout: "pipe", stderr: "pipe" });
  if (child.exitCode !== 0) {
    throw new Error(`building the frontend failed (bun ${cli}, exit ${child.exitCode}):\n${child.stderr.toString()}`);
  }
  return JSON.parse(child.stdout.toString()) as BuiltAsset[];
}
