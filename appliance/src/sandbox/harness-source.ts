/**
 * The text of harness.py. Read from beside this module in development; a
 * compiled binary finds it among `Bun.embeddedFiles` (scripts/build.ts passes
 * the .py as an extra entry point). It reaches python3 as `-c`, so nothing is
 * written to disk and the sandbox needs no bind for it.
 */
import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

export const harnessFileName = "harness.py";

let cached: string | undefined;

export async function loadHarnessSource(): Promise<string> {
  if (cached !== undefined) return cached;
  const beside = fileURLToPath(new URL(`./${harnessFileName}`, import.meta.url));
  if (existsSync(beside)) {
    cached = readFileSync(beside, "utf8");
    return cached;
  }
  const embedded = (Bun.embeddedFiles as (Blob & { name?: string })[]).find(
    (file) => file.name?.startsWith("harness") === true && file.name.endsWith(".py"),
  );
  if (embedded === undefined) throw new Error(`${harnessFileName} is neither beside ${beside} nor embedded in the binary`);
  cached = await embedded.text();
  return cached;
}
