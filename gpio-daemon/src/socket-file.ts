/**
 * The socket's life on the file system: a stale file from a crashed daemon is
 * removed, a live daemon is never displaced, and the socket is created 0660
 * for its group (the app's) and no one else.
 */
import { chmodSync, chownSync, lstatSync, mkdirSync, readFileSync, unlinkSync } from "node:fs";
import { dirname } from "node:path";

export const socketMode = 0o660;

/** The gid for a group name or number; undefined for "" (keep the daemon's group). Throws with a message for the operator. */
export function resolveGroup(group: string, groupFile = "/etc/group"): number | undefined {
  if (group === "") return undefined;
  if (/^\d+$/.test(group)) return Number(group);
  let text = "";
  try {
    text = readFileSync(groupFile, "utf8");
  } catch {
    // No group database: fall through to "no group named".
  }
  for (const line of text.split("\n")) {
    const [name, , gid] = line.split(":");
    if (name === group && gid !== undefined && /^\d+$/.test(gid)) return Number(gid);
  }
  throw new Error(`socketGroup: no group named "${group}" in ${groupFile} (give a group name or number)`);
}

/** Resolves true when something accepts connections on `path`. */
async function answers(path: string): Promise<boolean> {
  try {
    const socket = await Bun.connect({ unix: path, socket: { data() {} } });
    socket.end();
    return true;
  } catch {
    return false;
  }
}

/** Makes `path` free for a new socket: creates its directory, removes a stale socket, refuses anything else. */
export async function prepareSocketPath(path: string): Promise<void> {
  mkdirSync(dirname(path), { recursive: true, mode: 0o755 });
  let stat;
  try {
    stat = lstatSync(path);
  } catch {
    return;
  }
  if (!stat.isSocket()) throw new Error(`${path} exists and is not a socket; refusing to replace it (remove it or choose another --socket)`);
  if (await answers(path)) throw new Error(`another daemon is answering on ${path}; stop it first or choose another --socket`);
  unlinkSync(path);
}

/** Sets the umask for `action` where the runtime allows it (not in worker threads, e.g. under vitest). */
function withUmask<T>(mask: number, action: () => T): T {
  let previous: number | undefined;
  try {
    previous = process.umask(mask);
  } catch {
    // Workers cannot set it; the chmod below still applies, and the usual umask (022) leaves
    // the socket connectable by its owner only until then.
  }
  try {
    return action();
  } finally {
    if (previous !== undefined) process.umask(previous);
  }
}

/** Runs `listen` with a umask that creates the socket 0660, then sets mode and group explicitly. */
export function createSecured<T>(path: string, gid: number | undefined, listen: () => T): T {
  const result = withUmask(0o117, listen);
  chmodSync(path, socketMode);
  if (gid !== undefined) chownSync(path, process.getuid?.() ?? -1, gid);
  return result;
}

/** Removes the socket file if it is still the one we created (same inode). */
export function removeSocket(path: string, inode: number | bigint | undefined): void {
  try {
    if (inode === undefined || lstatSync(path).ino === inode) unlinkSync(path);
  } catch {
    // Already gone.
  }
}
