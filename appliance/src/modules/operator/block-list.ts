/**
 * What the operator blocked from uploading: user_ids in one list, client
 * addresses in another (a new browser is a new user_id, an address is not).
 * Each list is kept in the data dir (written atomically) so a block survives a
 * restart; a file that does not hold the expected entries stops the start
 * rather than silently unblocking everyone.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { Type as t } from "@sinclair/typebox";
import { Value } from "@sinclair/typebox/value";
import { canonicalIp, isIpAddress } from "../../identity/client-address.ts";
import { isUserId } from "../../identity/user-id.ts";
import { writeFileAtomic } from "../../storage/atomic-write.ts";

export const blockListFileName = "blocked-users.json";
export const blockedAddressesFileName = "blocked-addresses.json";
export const maxBlockListEntries = 100_000;
const BlockFileSchema = t.Array(t.String({ maxLength: 64 }), { maxItems: maxBlockListEntries });

interface BlockListKind {
  fileName: string;
  /** What one entry is, for the error about a bad file. */
  entries: string;
  valid: (entry: string) => boolean;
}

export class BlockList {
  private readonly entries: Set<string>;
  private readonly path: string;

  constructor(dataDir: string, kind: BlockListKind = { fileName: blockListFileName, entries: "user ids", valid: isUserId }) {
    this.path = join(dataDir, kind.fileName);
    let stored: unknown = [];
    try {
      stored = JSON.parse(readFileSync(this.path, "utf8"));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw new Error(`${this.path}: unreadable block list (${String(error)})`);
    }
    if (!Value.Check(BlockFileSchema, stored) || !stored.every(kind.valid)) throw new Error(`${this.path}: expected a JSON list of ${kind.entries}`);
    this.entries = new Set(stored);
  }

  has(entry: string): boolean {
    return this.entries.has(entry);
  }

  list(): string[] {
    return [...this.entries];
  }

  async set(entry: string, blocked: boolean): Promise<void> {
    if (blocked) this.entries.add(entry);
    else this.entries.delete(entry);
    await writeFileAtomic(this.path, JSON.stringify([...this.entries]));
  }
}

/** Client addresses, in canonicalIp spelling. */
export const addressBlockList = (dataDir: string) =>
  new BlockList(dataDir, { fileName: blockedAddressesFileName, entries: "IP addresses", valid: (entry) => isIpAddress(entry) && canonicalIp(entry) === entry });
