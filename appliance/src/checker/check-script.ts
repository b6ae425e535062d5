/** The text of upload-check.py, handed to python3 with -c (see python-source.ts). */
import { loadPythonSource } from "../python-source.ts";

export const checkScriptFileName = "upload-check.py";

export function loadCheckScript(): Promise<string> {
  return loadPythonSource(import.meta.url, checkScriptFileName);
}
