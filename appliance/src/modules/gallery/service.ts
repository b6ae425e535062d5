/**
 * The gallery without HTTP: who may share what, the listing (newest shared first, a page at a
 * time), and the operator's hide. Shared state lives in the submission's own record
 * (storage/submissions.ts, written atomically), so it survives restarts with it.
 */
import type { AppContext } from "../../context.ts";
import { AppError } from "../../errors.ts";
import { owns } from "../../identity/resolve.ts";
import { isUuid, type SubmissionRecord } from "../../storage/submissions.ts";
import { shortIdOf } from "../queue/service.ts";
import { galleryPageSize, type GalleryEntry, type GalleryPage, type ShareState } from "./model.ts";
import { shareRefusal } from "./shareable.ts";
import { cleanTitle } from "./title.ts";

const short = (uuid: string) => uuid.slice(0, 8);

/** The record behind a uuid from a URL, or a 404 with a sentence. */
export function sharedRecordOf(ctx: AppContext, uuid: string): SubmissionRecord {
  const record = isUuid(uuid) ? ctx.store.get(uuid) : undefined;
  if (record === undefined) {
    throw new AppError("not_found", `There is no program ${uuid.slice(0, 40)} on this tree (old ones are deleted after a while). Check the link, or pick it from the queue page.`);
  }
  return record;
}

/** The operator blocked its visitor or its address: nothing of theirs is shown. */
function fromBlocked(ctx: AppContext, record: SubmissionRecord): boolean {
  return ctx.blockList.has(record.user_id) || (record.ip !== undefined && ctx.blockedAddresses.has(record.ip));
}

export const shareState = (record: SubmissionRecord): ShareState => ({
  uuid: record.uuid,
  shared: record.shared !== undefined,
  title: record.shared?.title ?? null,
  hidden: record.galleryHiddenAt !== undefined,
});

/** Shares (or re-titles) the owner's program. The caller has resolved the owner id. */
export async function share(ctx: AppContext, record: SubmissionRecord, ownerId: string | null, ip: string, rawTitle: string | undefined): Promise<ShareState> {
  if (!owns(record, ownerId)) {
    throw new AppError("forbidden", "Only the browser that sent this program can share it. Share one of your own from the queue page.");
  }
  if (fromBlocked(ctx, record) || ctx.blockedAddresses.has(ip)) throw new AppError("blocked", "The operator has blocked programs from you, so you cannot share them.");
  const title = cleanTitle(rawTitle);
  const refusal = shareRefusal(record);
  if (refusal !== null) throw new AppError("conflict", refusal);
  if (record.galleryHiddenAt !== undefined) {
    throw new AppError("conflict", `The operator has taken program ${short(record.uuid)} out of the gallery, so it cannot be shared again. Ask them if you think that was a mistake.`);
  }
  const updated = await ctx.store.update(record.uuid, { shared: { at: new Date(ctx.now()).toISOString(), title } });
  ctx.events.notify();
  return shareState(updated);
}

export async function unshare(ctx: AppContext, record: SubmissionRecord, ownerId: string | null): Promise<ShareState> {
  if (!owns(record, ownerId)) throw new AppError("forbidden", "Only the browser that shared this program can stop sharing it.");
  if (record.shared === undefined) return shareState(record);
  const updated = await ctx.store.update(record.uuid, { shared: undefined });
  ctx.events.notify();
  return shareState(updated);
}

export async function setHidden(ctx: AppContext, record: SubmissionRecord, hidden: boolean): Promise<ShareState> {
  if (hidden && record.shared === undefined && record.galleryHiddenAt === undefined) {
    throw new AppError("conflict", `Program ${short(record.uuid)} is not shared in the gallery, so there is nothing to hide.`);
  }
  const updated = await ctx.store.update(record.uuid, { galleryHiddenAt: hidden ? (record.galleryHiddenAt ?? new Date(ctx.now()).toISOString()) : undefined });
  ctx.events.notify();
  return shareState(updated);
}

/** Ordering and cursor key: shared time, then acceptance order (both descending). */
const keyOf = (record: SubmissionRecord): [number, number] => [Date.parse(record.shared!.at) || 0, record.sequence];
const cursorOf = (record: SubmissionRecord) => keyOf(record).join("-");
const olderThan = ([ms, sequence]: [number, number], [cursorMs, cursorSequence]: [number, number]) =>
  ms < cursorMs || (ms === cursorMs && sequence < cursorSequence);

export interface ListOptions {
  /** A `next` from a previous page. */
  before?: string;
  limit?: number;
  /** The viewing browser's owner id (its own entries say `mine`). */
  ownerId: string | null;
  /** The operator's listing: hidden entries too, marked. */
  operator?: boolean;
}

/**
 * Program texts of shared entries, kept in memory (they never change) up to a byte budget, so a
 * crowd opening the gallery does not read the same files over and over.
 */
export class SourceCache {
  private readonly texts = new Map<string, string>();
  private bytes = 0;
  constructor(private readonly maxBytes = 4 * 1024 * 1024) {}

  async read(ctx: AppContext, record: SubmissionRecord): Promise<string> {
    const known = this.texts.get(record.uuid);
    if (known !== undefined) return known;
    const text = await ctx.store.readSource(record);
    this.texts.set(record.uuid, text);
    this.bytes += text.length;
    for (const [uuid, old] of this.texts) {
      if (this.bytes <= this.maxBytes || uuid === record.uuid) break;
      this.texts.delete(uuid);
      this.bytes -= old.length;
    }
    return text;
  }
}

export async function listGallery(ctx: AppContext, sources: SourceCache, options: ListOptions): Promise<GalleryPage> {
  const limit = options.limit ?? galleryPageSize;
  const cursor = options.before?.split("-").map(Number) as [number, number] | undefined;
  const visible = ctx.store
    .all()
    .filter((record) => record.shared !== undefined && shareRefusal(record) === null && !fromBlocked(ctx, record))
    .filter((record) => options.operator === true || record.galleryHiddenAt === undefined)
    .sort((a, b) => {
      const [aMs, aSequence] = keyOf(a);
      const [bMs, bSequence] = keyOf(b);
      return bMs - aMs || bSequence - aSequence;
    })
    .filter((record) => cursor === undefined || olderThan(keyOf(record), cursor));
  const page = visible.slice(0, limit);
  const entries: GalleryEntry[] = [];
  for (const record of page) {
    let code: string;
    try {
      code = await sources.read(ctx, record);
    } catch {
      // Pruned between the listing and the read: it is no longer in the gallery.
      continue;
    }
    entries.push({
      uuid: record.uuid,
      shortId: shortIdOf(record.uuid),
      title: record.shared!.title,
      code,
      ranAt: record.startedAt ?? record.finishedAt ?? record.timestamp,
      sharedAt: record.shared!.at,
      mine: owns(record, options.ownerId),
      ...(options.operator === true ? { hidden: record.galleryHiddenAt !== undefined } : {}),
    });
  }
  return { entries, next: visible.length > limit ? cursorOf(page.at(-1)!) : null };
}
