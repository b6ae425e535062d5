/**
 * The text of one of our own Python files (the harness, the upload checker, the
 * idle show). From source it is read from beside the module that owns it; a
 * compiled binary finds it among `Bun.embeddedFiles`, because scripts/build.ts
 * passes every appliance/src/**\/*.py as an extra entry point (Bun names each
 * `<stem>-<hash>.py`). Each reaches python3 as `-c` text, so nothing is written
 * to disk and no sandbox needs a bind for it.
 */
import { existsSync, readFileSync } from "node:fs";
import { basename } from "node:path";
import { fileURLToPath } from "node:url";

const loaded = new Map<string, Promise<string>>();

function embeddedName(fileName: string): RegExp {
  const stem = basename(fileName, ".py").replace(/[^A-Za-z0-9_]/g, (c) => `\\${c}`);
  return new RegExp(`^${stem}(-[A-Za-z0-9]+)?\\.py$`);
}

async function read(ownerUrl: string, fileName: string): Promise<string> {
  const beside = fileURLToPath(new URL(`./${fileName}`, ownerUrl));
  if (existsSync(beside)) return readFileSync(beside, "utf8");
  const pattern = embeddedName(fileName);
  const embedded = (Bun.embeddedFiles as (Blob & { name?: string })[]).find((file) => pattern.test(basename(file.name ?? "")));
  if (embedded === undefined) throw new Error(`${fileName} is neither beside ${beside} nor embedded in the binary`);
  return embedded.text();
}

/** `ownerUrl` is the owning module's `import.meta.url`; the file sits beside it. */
export function loadPythonSource(ownerUrl: string, fileName: string): Promise<string> {
  const key = new URL(`./${fileName}`, ownerUrl).href;
  let text = loaded.get(key);
  if (text === undefined) {
    text = read(ownerUrl, fileName);
    // A failed read is not cached: the next caller gets the error again, freshly.
    text.catch(() => loaded.delete(key));
    loaded.set(key, text);
  }
  return text;
}
