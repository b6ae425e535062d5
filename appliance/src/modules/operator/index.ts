/**
 * The operator API (behind the password in the config; without one, every
 * route answers that the operator view is disabled). Skip the running program,
 * pause/resume the queue, remove a submission, block or unblock a user_id or a
 * client address (a new browser is a new user_id; the address stays).
 */
import { Elysia, type Cookie } from "elysia";
import { Type as t, type Static } from "@sinclair/typebox";
import type { AppContext } from "../../context.ts";
import { AppError } from "../../errors.ts";
import { canonicalIp, isIpAddress } from "../../identity/client-address.ts";
import { reasonView } from "../../storage/finish-reason.ts";
import { finishedStatuses, isUuid, type SubmissionRecord } from "../../storage/submissions.ts";
import { cancelPending } from "../submissions/service.ts";
import { ApplianceHealthSchema, submissionDetail, type SubmissionDetail } from "./model.ts";
import { operatorCookieName, operatorSessionMs } from "./sessions.ts";

const LoginSchema = t.Object({ password: t.String({ maxLength: 200 }) }, { additionalProperties: false });
/** Exactly one of the two; which one is checked in the handler, so a bad field gets its own message. */
const BlockTargetSchema = t.Object(
  {
    userId: t.Optional(t.String({ pattern: "^[0-9a-f]{32}$", error: "userId must be the 32 hex digits of a user_id" })),
    ip: t.Optional(t.String({ minLength: 1, maxLength: 64, error: "ip must be an IPv4 or IPv6 address" })),
  },
  { additionalProperties: false },
);
type BlockTarget = { userId: string } | { ip: string };

function blockTarget(body: Static<typeof BlockTargetSchema>): BlockTarget {
  if ((body.userId === undefined) === (body.ip === undefined)) {
    throw new AppError("validation", "body: send either userId (32 hex digits) or ip (an IPv4 or IPv6 address), not both");
  }
  if (body.userId !== undefined) return { userId: body.userId };
  const ip = canonicalIp(body.ip!);
  if (!isIpAddress(ip)) throw new AppError("validation", "ip: ip must be an IPv4 or IPv6 address");
  return { ip };
}
const UuidParams = t.Object({ uuid: t.String({ maxLength: 64 }) });

export const OperatorStateSchema = t.Object({
  /** The server's clock, so the page's countdown does not depend on the phone's. */
  now: t.String(),
  paused: t.Boolean(),
  /** `ip`: the uploader's address (null for submissions stored before addresses were kept); `endsAt`: its start plus the slot, when the scheduler stops it at the latest. */
  running: t.Union([t.Object({ uuid: t.String(), userId: t.String(), ip: t.Union([t.String(), t.Null()]), startedAt: t.String(), endsAt: t.String(), slotSeconds: t.Integer() }), t.Null()]),
  pending: t.Array(t.Object({ uuid: t.String(), userId: t.String(), ip: t.Union([t.String(), t.Null()]), timestamp: t.String() })),
  /** Finished submissions, newest first (as many as the queue page lists). */
  recent: t.Array(t.Object({ uuid: t.String(), userId: t.String(), ip: t.Union([t.String(), t.Null()]), status: t.String(), finishedAt: t.Union([t.String(), t.Null()]), reason: t.Union([t.String(), t.Null()]) })),
  /** A finished program whose last frame the tree still shows (skip ends it); null when none. */
  lastFrame: t.Union([t.Object({ uuid: t.String(), until: t.String() }), t.Null()]),
  /** Blocked user_ids. */
  blocked: t.Array(t.String()),
  /** Blocked client addresses. */
  blockedIps: t.Array(t.String()),
  tree: t.Object({ online: t.Boolean(), ledCount: t.Integer() }),
  sandbox: t.Object({ ready: t.Boolean(), reason: t.Optional(t.String()) }),
  /** The LED daemon and the host (tree-host) at the top of the page. */
  health: ApplianceHealthSchema,
});

const disabled = () =>
  new AppError("operator_disabled", "The operator view is disabled: set operatorPassword in the config (or TREE_APP_OPERATOR_PASSWORD) and restart.");

export function operatorRoutes(ctx: AppContext) {
  const requireOperator = (cookie: Record<string, Cookie<unknown>>) => {
    if (!ctx.operator.enabled) throw disabled();
    if (!ctx.operator.valid(cookie[operatorCookieName]?.value)) throw new AppError("unauthorized", "Log in as the operator first.");
  };
  const state = async (): Promise<Static<typeof OperatorStateSchema>> => {
    const running = ctx.scheduler.running;
    const held = ctx.scheduler.heldFrame;
    const runningRecord = running === null ? undefined : ctx.store.get(running.uuid);
    const slotSeconds = ctx.config.slotSeconds;
    const finished = ctx.store
      .all()
      .filter((record) => finishedStatuses.includes(record.status))
      .sort((a, b) => (b.finishedAt ?? b.timestamp).localeCompare(a.finishedAt ?? a.timestamp))
      .slice(0, ctx.config.recentInView);
    return {
      now: new Date(ctx.now()).toISOString(),
      paused: ctx.scheduler.isPaused,
      running:
        running === null || runningRecord === undefined
          ? null
          : {
              uuid: running.uuid,
              userId: runningRecord.user_id,
              ip: runningRecord.ip ?? null,
              startedAt: new Date(running.startedAtMs).toISOString(),
              endsAt: new Date(running.startedAtMs + slotSeconds * 1000).toISOString(),
              slotSeconds,
            },
      pending: ctx.scheduler.pending.flatMap((uuid) => {
        const record = ctx.store.get(uuid);
        return record === undefined ? [] : [{ uuid, userId: record.user_id, ip: record.ip ?? null, timestamp: record.timestamp }];
      }),
      recent: finished.map((record) => ({
        uuid: record.uuid,
        userId: record.user_id,
        ip: record.ip ?? null,
        status: record.status,
        finishedAt: record.finishedAt ?? null,
        reason: reasonView(record, false)?.text ?? null,
      })),
      lastFrame: held === null ? null : { uuid: held.uuid, until: new Date(held.untilMs).toISOString() },
      blocked: ctx.blockList.list(),
      blockedIps: ctx.blockedAddresses.list(),
      tree: ctx.tree(),
      sandbox: ctx.sandbox.ready ? { ready: true } : { ready: false, reason: ctx.sandbox.reason ?? "not ready" },
      health: { daemon: await ctx.daemonState(), host: ctx.hostStatus.view },
    };
  };
  const changed = () => {
    ctx.events.notify();
    return state();
  };

  return new Elysia({ name: "operator", prefix: "/api/operator" })
    .post(
      "/login",
      ({ body, cookie, request, server }) => {
        if (!ctx.operator.enabled) throw disabled();
        const ip = ctx.clientIp(request, server);
        if (!ctx.operator.passwordMatches(body.password)) {
          const attempt = ctx.loginLimiter.hit(ip);
          if (!attempt.ok) {
            const wait = Math.max(1, Math.ceil(attempt.retryAfterMs / 1000));
            throw new AppError("rate_limited", `Too many wrong passwords. Try again in ${wait} s.`, { retryAfterSeconds: wait });
          }
          throw new AppError("unauthorized", "Wrong password.");
        }
        cookie[operatorCookieName]!.set({
          value: ctx.operator.open(),
          httpOnly: true,
          sameSite: "strict",
          path: "/api/operator",
          maxAge: operatorSessionMs / 1000,
        });
        return state();
      },
      { body: LoginSchema },
    )
    .post("/logout", ({ cookie }) => {
      ctx.operator.close(cookie[operatorCookieName]?.value);
      cookie[operatorCookieName]!.remove();
      return { loggedOut: true };
    })
    .get("/state", ({ cookie }) => (requireOperator(cookie), state()))
    .get(
      "/submissions/:uuid",
      async ({ cookie, params }): Promise<SubmissionDetail> => {
        requireOperator(cookie);
        const record = isUuid(params.uuid) ? ctx.store.get(params.uuid) : undefined;
        if (record === undefined) throw new AppError("not_found", "No such submission (finished ones are kept up to historyLimit).");
        let code: string;
        try {
          code = await ctx.store.readSource(record);
        } catch {
          throw new AppError("not_found", "That submission's program is no longer on disk.");
        }
        return submissionDetail(record, code);
      },
      { params: UuidParams },
    )
    .post("/skip", ({ cookie }) => {
      requireOperator(cookie);
      if (!ctx.scheduler.abortRunning("skipped")) throw new AppError("conflict", "No visitor program is running or showing its last frame.");
      return changed();
    })
    .post("/pause", ({ cookie }) => (requireOperator(cookie), ctx.scheduler.pause(), changed()))
    .post("/resume", ({ cookie }) => (requireOperator(cookie), ctx.scheduler.resume(), changed()))
    .delete(
      "/submissions/:uuid",
      async ({ cookie, params }) => {
        requireOperator(cookie);
        if (!isUuid(params.uuid) || ctx.store.get(params.uuid) === undefined) throw new AppError("not_found", "No such submission.");
        if (ctx.scheduler.abortRunning("removed", params.uuid)) return changed();
        if (!(await cancelPending(ctx, params.uuid, "removed"))) throw new AppError("conflict", "That submission has already finished.");
        return changed();
      },
      { params: UuidParams },
    )
    .post(
      "/block",
      async ({ cookie, body }) => {
        requireOperator(cookie);
        const target = blockTarget(body);
        const theirs = (record: SubmissionRecord) => ("userId" in target ? record.user_id === target.userId : record.ip === target.ip);
        if ("userId" in target) await ctx.blockList.set(target.userId, true);
        else await ctx.blockedAddresses.set(target.ip, true);
        // Their waiting programs go too; a running one is left to the skip button.
        for (const uuid of [...ctx.scheduler.pending]) {
          const record = ctx.store.get(uuid);
          if (record !== undefined && theirs(record)) await cancelPending(ctx, uuid, "removed");
        }
        return changed();
      },
      { body: BlockTargetSchema },
    )
    .post(
      "/unblock",
      async ({ cookie, body }) => {
        requireOperator(cookie);
        const target = blockTarget(body);
        if ("userId" in target) await ctx.blockList.set(target.userId, false);
        else await ctx.blockedAddresses.set(target.ip, false);
        return changed();
      },
      { body: BlockTargetSchema },
    );
}
