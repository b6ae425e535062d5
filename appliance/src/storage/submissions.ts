/**
 * Submissions on disk, no database (seed): `uploads/<user_id>_<uuid>.py` holds
 * the program and `uploads/<user_id>_<uuid>.json` its record beside it. Both are
 * written atomically; the program first, so a record on disk always has its
 * program. A submission is accepted once its record is on disk. The store keeps
 * every record in memory too (the queue page reads them many times a second)
 * and serialises each record's writes so two updates of one record cannot land
 * out of order (records of different submissions are written independently: on
 * an SD card one fsync can take tens of milliseconds, and an upload must not
 * wait behind other programs' status changes).
 */
import { randomUUID } from "node:crypto";
import { mkdir, readdir, readFile, rename, rm } from "node:fs/promises";
import { join } from "node:path";
import { Type as t, type Static } from "@sinclair/typebox";
import { Value } from "@sinclair/typebox/value";
import { RunResultSchema, type RunResult } from "../sandbox/run-result.ts";
import { FinishReasonSchema } from "./finish-reason.ts";
import { tempSuffix, writeFileAtomic } from "./atomic-write.ts";

export const submissionStatuses = ["pending", "running", "completed", "failed", "cancelled"] as const;
export type SubmissionStatus = (typeof submissionStatuses)[number];
export const finishedStatuses: readonly SubmissionStatus[] = ["completed", "failed", "cancelled"];

export const uploadsDirName = "uploads";
const uuidPattern = "^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$";
export const isUuid = (value: string) => new RegExp(uuidPattern).test(value);

export const SubmissionRecordSchema = t.Object({
  uuid: t.String({ pattern: uuidPattern }),
  /** Submission time, ISO 8601. */
  timestamp: t.String(),
  /** Acceptance order; breaks ties between equal timestamps. */
  sequence: t.Integer({ minimum: 0 }),
  language: t.Literal("python"),
  /** The uploader's fingerprint (address + User-Agent): names the files; caps and the block list count it. */
  user_id: t.String({ pattern: "^[0-9a-f]{32}$" }),
  /** The uploading browser's random id (identity/user-id.ts), the only proof of ownership; absent in older records, which nobody owns. */
  owner_id: t.Optional(t.String({ pattern: "^[0-9a-f]{32}$" })),
  /** The uploader's address, for the per-address pending cap and the operator's block by address (absent in older records). */
  ip: t.Optional(t.String({ minLength: 1, maxLength: 64 })),
  status: t.Union(submissionStatuses.map((status) => t.Literal(status))),
  /** Times a run was started; an interrupted run is retried once (see scheduler/recovery.ts). */
  attempts: t.Integer({ minimum: 0 }),
  startedAt: t.Optional(t.String()),
  finishedAt: t.Optional(t.String()),
  /** Why it finished (storage/finish-reason.ts); absent in older records, where it is derived. */
  reason: t.Optional(FinishReasonSchema),
  result: t.Optional(RunResultSchema),
  /** Shared in the gallery by its owner (modules/gallery/): when, and the title they gave (may be empty). Absent: not shared. */
  shared: t.Optional(t.Object({ at: t.String(), title: t.String({ maxLength: 240 }) })),
  /** When the operator hid it from the gallery; it stays hidden whatever its owner does, until unhidden. */
  galleryHiddenAt: t.Optional(t.String()),
});
export type SubmissionRecord = Static<typeof SubmissionRecordSchema>;

/**
 * Shared programs kept beyond historyLimit (the newest ones): the gallery outlives a busy night's
 * history, while sharing stays bounded by runs and by the share rate.
 */
export const sharedKeptLimit = 500;

export const fileStem = (record: Pick<SubmissionRecord, "user_id" | "uuid">) => `${record.user_id}_${record.uuid}`;

export interface LoadReport {
  loaded: number;
  /** Files that could not be read as records; moved aside as `*.corrupt`, never deleted. */
  corrupt: string[];
  /** Programs without a record (the app stopped between the two writes): never accepted, removed. */
  orphans: string[];
}

export class SubmissionStore {
  private readonly records = new Map<string, SubmissionRecord>();
  private nextSequence = 0;
  /** Each record's last queued write; an entry leaves once its chain is idle. */
  private writes = new Map<string, Promise<unknown>>();

  private constructor(readonly dir: string) {}

  /** Opens (creating if needed) the uploads folder under `dataDir` and loads every record. */
  static async open(dataDir: string): Promise<{ store: SubmissionStore; report: LoadReport }> {
    const dir = join(dataDir, uploadsDirName);
    await mkdir(dir, { recursive: true, mode: 0o700 });
    const store = new SubmissionStore(dir);
    const report = await store.load();
    return { store, report };
  }

  private async load(): Promise<LoadReport> {
    const report: LoadReport = { loaded: 0, corrupt: [], orphans: [] };
    const names = await readdir(this.dir);
    const stems = new Set<string>();
    for (const name of names) {
      if (name.endsWith(tempSuffix)) {
        await rm(join(this.dir, name), { force: true });
        continue;
      }
      if (!name.endsWith(".json")) continue;
      const path = join(this.dir, name);
      let record: unknown;
      try {
        record = JSON.parse(await readFile(path, "utf8"));
      } catch {
        record = undefined;
      }
      if (!Value.Check(SubmissionRecordSchema, record) || `${fileStem(record)}.json` !== name) {
        await rename(path, `${path}.corrupt`);
        report.corrupt.push(name);
        continue;
      }
      this.records.set(record.uuid, record);
      stems.add(fileStem(record));
      this.nextSequence = Math.max(this.nextSequence, record.sequence + 1);
      report.loaded++;
    }
    for (const name of names) {
      if (name.endsWith(".py") && !stems.has(name.slice(0, -3))) {
        await rm(join(this.dir, name), { force: true });
        report.orphans.push(name);
      }
    }
    return report;
  }

  /** Serialises one record's disk writes: each runs after that record's previous one settled. */
  private queueWrite<T>(uuid: string, write: () => Promise<T>): Promise<T> {
    const next = (this.writes.get(uuid) ?? Promise.resolve()).then(write, write);
    const settled = next.then(() => undefined, () => undefined);
    this.writes.set(uuid, settled);
    void settled.then(() => {
      if (this.writes.get(uuid) === settled) this.writes.delete(uuid);
    });
    return next;
  }

  /** Stores a new pending submission; resolves once both files are durable. */
  async create(userId: string, source: string, now = new Date(), ip?: string, ownerId?: string): Promise<SubmissionRecord> {
    const record: SubmissionRecord = {
      uuid: randomUUID(),
      timestamp: now.toISOString(),
      sequence: this.nextSequence++,
      language: "python",
      user_id: userId,
      ...(ownerId === undefined ? {} : { owner_id: ownerId }),
      ...(ip === undefined ? {} : { ip }),
      status: "pending",
      attempts: 0,
    };
    const program = join(this.dir, `${fileStem(record)}.py`);
    await this.queueWrite(record.uuid, async () => {
      await writeFileAtomic(program, source);
      try {
        await writeFileAtomic(join(this.dir, `${fileStem(record)}.json`), JSON.stringify(record));
      } catch (error) {
        // Not accepted (e.g. the disk is full): leave no program without its record behind.
        await rm(program, { force: true });
        throw error;
      }
    });
    this.records.set(record.uuid, record);
    return record;
  }

  /** Applies a change to a record and persists it; the in-memory copy changes at once. */
  async update(uuid: string, patch: Partial<Omit<SubmissionRecord, "uuid" | "user_id" | "owner_id" | "ip" | "sequence">>): Promise<SubmissionRecord> {
    const current = this.records.get(uuid);
    if (current === undefined) throw new Error(`no submission ${uuid}`);
    const record = { ...current, ...patch };
    this.records.set(uuid, record);
    await this.queueWrite(uuid, () => writeFileAtomic(join(this.dir, `${fileStem(record)}.json`), JSON.stringify(record)));
    return record;
  }

  get(uuid: string): SubmissionRecord | undefined {
    return this.records.get(uuid);
  }

  /** Every record in acceptance order. */
  all(): SubmissionRecord[] {
    return [...this.records.values()].sort((a, b) => a.sequence - b.sequence);
  }

  readSource(record: SubmissionRecord): Promise<string> {
    return readFile(join(this.dir, `${fileStem(record)}.py`), "utf8");
  }

  /**
   * Deletes the oldest finished submissions beyond `historyLimit`; pending and running ones are never
   * pruned, nor the newest `sharedKept` shared ones (they are the gallery, and do not count).
   */
  async prune(historyLimit: number, sharedKept = sharedKeptLimit): Promise<number> {
    const finished = this.all().filter((record) => finishedStatuses.includes(record.status));
    const shared = finished.filter((record) => record.shared !== undefined);
    const kept = new Set(shared.slice(Math.max(0, shared.length - sharedKept)).map((record) => record.uuid));
    const prunable = finished.filter((record) => !kept.has(record.uuid));
    const excess = prunable.slice(0, Math.max(0, prunable.length - historyLimit));
    for (const record of excess) this.records.delete(record.uuid);
    await Promise.all(
      excess.map((record) =>
        this.queueWrite(record.uuid, async () => {
          // The record goes first: a program without a record is swept as an orphan on the next start.
          await rm(join(this.dir, `${fileStem(record)}.json`), { force: true });
          await rm(join(this.dir, `${fileStem(record)}.py`), { force: true });
        }),
      ),
    );
    return excess.length;
  }

  /** Resolves when every write queued so far has reached the disk. */
  flush(): Promise<unknown> {
    return Promise.all(this.writes.values());
  }
}

/** The file system refused a write for want of space (or of quota): the data directory is full. */
export const isDiskFull = (error: unknown) => ["ENOSPC", "EDQUOT"].includes((error as NodeJS.ErrnoException | undefined)?.code ?? "");

export type { RunResult };
