/**
 * user_ids the operator blocked from uploading. Kept in the data dir (written
 * atomically) so a block survives a restart.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { Type as t } from "@sinclair/typebox";
import { Value } from "@sinclair/typebox/value";
import { writeFileAtomic } from "../../storage/atomic-write.ts";

export const blockListFileName = "blocked-users.json";
const BlockFileSchema = t.Array(t.String({ pattern: "^[0-9a-f]{32}$" }), { maxItems: 100_000 });

export class BlockList {
  private readonly ids: Set<string>;
  private readonly path: string;

  constructor(dataDir: string) {
    this.path = join(dataDir, blockListFileName);
    let stored: unknown = [];
    try {
      stored = JSON.parse(readFileSync(this.path, "utf8"));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw new Error(`${this.path}: unreadable block list (${String(error)})`);
    }
    if (!Value.Check(BlockFileSchema, stored)) throw new Error(`${this.path}: expected a JSON list of user ids`);
    this.ids = new Set(stored);
  }

  has(userId: string): boolean {
    return this.ids.has(userId);
  }

  list(): string[] {
    return [...this.ids];
  }

  async set(userId: string, blocked: boolean): Promise<void> {
    if (blocked) this.ids.add(userId);
    else this.ids.delete(userId);
    await writeFileAtomic(this.path, JSON.stringify([...this.ids]));
  }
}
