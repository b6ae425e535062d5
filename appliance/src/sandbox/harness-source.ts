/** The text of harness.py, handed to python3 as `-c` inside the jail (see python-source.ts). */
import { loadPythonSource } from "../python-source.ts";

export const harnessFileName = "harness.py";

export function loadHarnessSource(): Promise<string> {
  return loadPythonSource(import.meta.url, harnessFileName);
}
