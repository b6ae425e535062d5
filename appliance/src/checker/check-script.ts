/**
 * The text of upload-check.py. Read from beside this module in development;
 * a compiled binary finds it among `Bun.embeddedFiles` (scripts/build.ts
 * passes the .py as an extra entry point), as the idle show does. It is handed
 * to python3 with -c, so nothing is ever written to disk.
 */
import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

export const checkScriptFileName = "upload-check.py";

let cached: string | undefined;

export async function loadCheckScript(): Promise<string> {
  if (cached !== undefined) return cached;
  const beside = fileURLToPath(new URL(`./${checkScriptFileName}`, import.meta.url));
  if (existsSync(beside)) {
    cached = readFileSync(beside, "utf8");
    return cached;
  }
  const embedded = (Bun.embeddedFiles as (Blob & { name?: string })[]).find(
    (file) => file.name?.startsWith("upload-check") === true && file.name.endsWith(".py"),
  );
  if (embedded === undefined) throw new Error(`${checkScriptFileName} is neither beside ${beside} nor embedded in the binary`);
  cached = await embedded.text();
  return cached;
}
