/**
 * Accepting and cancelling submissions, without HTTP: the gates an upload must
 * pass (sandbox usable, visitor and address not blocked, pending caps per
 * visitor, per address and in all, rate, check) in the order that costs the
 * least work for a refused one, then storage and the queue.
 */
import { AppError } from "../../errors.ts";
import { etaMs, toSeconds } from "../../scheduler/eta.ts";
import type { AppContext } from "../../context.ts";
import { isDiskFull, type SubmissionRecord } from "../../storage/submissions.ts";
import { shortIdOf } from "../queue/service.ts";
import type { UploadAccepted } from "./model.ts";

const seconds = (ms: number) => Math.max(1, toSeconds(ms));

/** Who uploads: the visitor's fingerprint, its browser's owner id (identity/user-id.ts) and the address the request came from. */
export interface Uploader {
  userId: string;
  ownerId: string;
  ip: string;
}

/** Waiting submissions that match, and the queue index of the first (-1: none). */
function pendingWhere(ctx: AppContext, matches: (record: SubmissionRecord) => boolean): { count: number; first: number } {
  let count = 0;
  let first = -1;
  ctx.scheduler.pending.forEach((uuid, index) => {
    const record = ctx.store.get(uuid);
    if (record === undefined || !matches(record)) return;
    if (first === -1) first = index;
    count++;
  });
  return { count, first };
}

/**
 * Refusals that need no body: checked before the upload is even read. An
 * admitted upload holds one place in its address's upload budget until it is
 * accepted; run the rest through `keepBudgetOnlyIfAccepted`, which gives the
 * place back when the upload is refused (a failed check, a body too large), so
 * the per-address rate counts accepted submissions only.
 */
export function admitUpload(ctx: AppContext, uploader: Uploader): void {
  if (!ctx.sandbox.ready) {
    throw new AppError("sandbox_unavailable", `The tree cannot run programs right now: ${ctx.sandbox.reason ?? "its sandbox is not ready"}. Please tell the operator.`);
  }
  if (ctx.blockList.has(uploader.userId)) throw new AppError("blocked", "The operator has blocked uploads from you.");
  if (ctx.blockedAddresses.has(uploader.ip)) throw new AppError("blocked", "The operator has blocked uploads from your device's network address.");
  assertUnderCaps(ctx, uploader);
  const rate = ctx.uploadLimiter.hit(uploader.ip);
  if (!rate.ok) {
    const wait = seconds(rate.retryAfterMs);
    throw new AppError(
      "rate_limited",
      `Too many uploads from your network: at most ${ctx.config.uploadsPerMinutePerIp} per minute. Try again in ${wait} s.`,
      { retryAfterSeconds: wait },
    );
  }
}

/** Runs the rest of an admitted upload; a refusal gives its place in the upload budget back. */
export async function keepBudgetOnlyIfAccepted<T>(ctx: AppContext, uploader: Uploader, rest: () => Promise<T>): Promise<T> {
  try {
    return await rest();
  } catch (error) {
    ctx.uploadLimiter.refund(uploader.ip);
    throw error;
  }
}

/** Seconds until the first of these waiting programs has run (its whole slot counted): when one more fits. */
function untilOneHasRun(ctx: AppContext, firstIndex: number): number {
  return seconds(etaMs(etaInput(ctx), firstIndex) + ctx.config.slotSeconds * 1000);
}

function assertUnderCaps(ctx: AppContext, { userId, ip }: Uploader): void {
  const mine = pendingWhere(ctx, (record) => record.user_id === userId);
  if (mine.count >= ctx.config.maxPendingPerUser) {
    const wait = untilOneHasRun(ctx, mine.first);
    throw new AppError(
      "too_many_pending",
      `You already have ${mine.count} program${mine.count === 1 ? "" : "s"} waiting (the limit is ${ctx.config.maxPendingPerUser}). Try again in ${wait} s, when your next one has run, or cancel one.`,
      { retryAfterSeconds: wait },
    );
  }
  // A new browser (or User-Agent) is a new visitor; the address is not.
  const fromAddress = pendingWhere(ctx, (record) => record.ip === ip);
  if (fromAddress.count >= ctx.config.maxPendingPerIp) {
    const wait = untilOneHasRun(ctx, fromAddress.first);
    throw new AppError(
      "too_many_pending",
      `${fromAddress.count} programs from your device's network address are already waiting (the limit is ${ctx.config.maxPendingPerIp}). Try again in ${wait} s, when the next one has run, or cancel one.`,
      { retryAfterSeconds: wait },
    );
  }
  if (ctx.scheduler.pending.length >= ctx.config.maxPendingTotal) {
    throw new AppError("queue_full", `The queue is full (${ctx.config.maxPendingTotal} programs waiting). Try again in a few minutes.`, { retryAfterSeconds: 60 });
  }
}

const etaInput = (ctx: AppContext) => ctx.queue.etaInput();

/** Checks, stores and queues a program; the caller has read it and passed admitUpload. */
export async function acceptUpload(ctx: AppContext, uploader: Uploader, source: string): Promise<UploadAccepted> {
  let verdict;
  try {
    verdict = await ctx.checkProgram(source);
  } catch (error) {
    ctx.log(`checker failed: ${String(error)}`);
    throw new AppError("check_failed", "Your program could not be checked right now. Please try again in a moment.", { line: 1, column: 1 });
  }
  if (!verdict.ok) {
    const more = (verdict.problems?.length ?? 1) - 1;
    const others = more === 0 ? "" : ` (and ${more} more problem${more === 1 ? "" : "s"} in this program: the editor's check lists them all)`;
    throw new AppError("check_failed", `${verdict.error}${others}`, { line: verdict.line, column: verdict.column });
  }
  // The check took time; a second tab may have used the last slot meanwhile.
  assertUnderCaps(ctx, uploader);
  let record: SubmissionRecord;
  try {
    record = await ctx.store.create(uploader.userId, source, new Date(ctx.now()), uploader.ip, uploader.ownerId);
  } catch (error) {
    if (!isDiskFull(error)) throw error;
    ctx.log(`upload refused: the data directory is full (${(error as Error).message})`);
    throw new AppError("insufficient_storage", "The tree's storage is full, so your program could not be saved and is not in the queue. Please tell the people running the tree.");
  }
  ctx.scheduler.enqueue(record.uuid);
  const position = ctx.scheduler.positionOf(record.uuid) ?? ctx.scheduler.pending.length;
  return {
    uuid: record.uuid,
    shortId: shortIdOf(record.uuid),
    status: "pending",
    position,
    etaSeconds: ctx.scheduler.isPaused ? null : toSeconds(etaMs(etaInput(ctx), position - 1)),
    etaIsWorstCase: true,
  };
}

/** Marks a pending submission cancelled, by its owner or ("removed") the operator. The caller has checked who may do it. */
export async function cancelPending(ctx: AppContext, uuid: string, reason: "cancelled" | "removed"): Promise<boolean> {
  if (!ctx.scheduler.dequeue(uuid)) return false;
  await ctx.store.update(uuid, { status: "cancelled", reason, finishedAt: new Date(ctx.now()).toISOString() });
  ctx.events.notify();
  return true;
}
