/**
 * Accepting and cancelling submissions, without HTTP: the gates an upload must
 * pass (sandbox usable, not blocked, rate, caps, check) in the order that costs
 * the least work for a refused one, then storage and the queue.
 */
import { AppError } from "../../errors.ts";
import { etaMs, toSeconds } from "../../scheduler/eta.ts";
import type { AppContext } from "../../context.ts";
import { shortIdOf } from "../queue/service.ts";
import type { UploadAccepted } from "./model.ts";

const seconds = (ms: number) => Math.max(1, toSeconds(ms));

function pendingOf(ctx: AppContext, userId: string): number {
  let count = 0;
  for (const uuid of ctx.scheduler.pending) if (ctx.store.get(uuid)?.user_id === userId) count++;
  return count;
}

/** Refusals that need no body: checked before the upload is even read. */
export function admitUpload(ctx: AppContext, userId: string, ip: string): void {
  if (!ctx.sandbox.ready) {
    throw new AppError("sandbox_unavailable", `The tree cannot run programs right now: ${ctx.sandbox.reason ?? "its sandbox is not ready"}. Please tell the operator.`);
  }
  if (ctx.blockList.has(userId)) throw new AppError("blocked", "The operator has blocked uploads from you.");
  assertUnderCaps(ctx, userId);
  const rate = ctx.uploadLimiter.hit(ip);
  if (!rate.ok) {
    const wait = seconds(rate.retryAfterMs);
    throw new AppError(
      "rate_limited",
      `Too many uploads from your network: at most ${ctx.config.uploadsPerMinutePerIp} per minute. Try again in ${wait} s.`,
      { retryAfterSeconds: wait },
    );
  }
}

function assertUnderCaps(ctx: AppContext, userId: string): void {
  const mine = pendingOf(ctx, userId);
  if (mine >= ctx.config.maxPendingPerUser) {
    const wait = seconds(etaMs(etaInput(ctx), ctx.scheduler.pending.findIndex((uuid) => ctx.store.get(uuid)?.user_id === userId)) + ctx.config.slotSeconds * 1000);
    throw new AppError(
      "too_many_pending",
      `You already have ${mine} program${mine === 1 ? "" : "s"} waiting (the limit is ${ctx.config.maxPendingPerUser}). Try again in ${wait} s, when your next one has run, or cancel one.`,
      { retryAfterSeconds: wait },
    );
  }
  if (ctx.scheduler.pending.length >= ctx.config.maxPendingTotal) {
    throw new AppError("queue_full", `The queue is full (${ctx.config.maxPendingTotal} programs waiting). Try again in a few minutes.`, { retryAfterSeconds: 60 });
  }
}

function etaInput(ctx: AppContext) {
  return { nowMs: ctx.now(), slotMs: ctx.config.slotSeconds * 1000, runningStartedAtMs: ctx.scheduler.running?.startedAtMs ?? null };
}

/** Checks, stores and queues a program; the caller has read it and passed admitUpload. */
export async function acceptUpload(ctx: AppContext, userId: string, source: string): Promise<UploadAccepted> {
  let verdict;
  try {
    verdict = await ctx.checkProgram(source);
  } catch (error) {
    ctx.log(`checker failed: ${String(error)}`);
    throw new AppError("check_failed", "Your program could not be checked right now. Please try again in a moment.", { line: 1, column: 1 });
  }
  if (!verdict.ok) throw new AppError("check_failed", verdict.error, { line: verdict.line, column: verdict.column });
  // The check took time; a second tab may have used the last slot meanwhile.
  assertUnderCaps(ctx, userId);
  const record = await ctx.store.create(userId, source, new Date(ctx.now()));
  ctx.scheduler.enqueue(record.uuid);
  const position = ctx.scheduler.positionOf(record.uuid) ?? ctx.scheduler.pending.length;
  return {
    uuid: record.uuid,
    shortId: shortIdOf(record.uuid),
    status: "pending",
    position,
    etaSeconds: toSeconds(etaMs(etaInput(ctx), position - 1)),
    etaIsWorstCase: true,
  };
}

/** Marks a pending submission cancelled. The caller has checked who may do it. */
export async function cancelPending(ctx: AppContext, uuid: string): Promise<boolean> {
  if (!ctx.scheduler.dequeue(uuid)) return false;
  await ctx.store.update(uuid, { status: "cancelled", finishedAt: new Date(ctx.now()).toISOString() });
  ctx.events.notify();
  return true;
}
