/**
 * `tree-app check FILE`: the upload-time verdict for one program, as one JSON
 * line: {"ok":true} or {"ok":false,"error":...,"line":L,"column":C}.
 * Exit 0 whenever the check ran (whatever the verdict), 2 on usage errors.
 */
import { readFile } from "node:fs/promises";
import { checkProgramBytes } from "../checker/check.ts";

const usage = "usage: tree-app check FILE   (prints the upload-time verdict as JSON)";

export async function main(args: string[]): Promise<number> {
  if (args.length === 1 && (args[0] === "--help" || args[0] === "-h")) {
    console.log(usage);
    return 0;
  }
  const [file, ...extra] = args;
  if (file === undefined || extra.length > 0 || file.startsWith("-")) {
    console.error(file === undefined ? `check: which file?\n${usage}` : `check: expected one FILE, got ${args.join(" ")}\n${usage}`);
    return 2;
  }
  let bytes: Uint8Array;
  try {
    bytes = await readFile(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason = code === "ENOENT" ? "no such file" : code === "EISDIR" ? "it is a directory" : (error as Error).message;
    console.error(`check: cannot read ${file}: ${reason}`);
    return 2;
  }
  console.log(JSON.stringify(await checkProgramBytes(bytes)));
  return 0;
}
