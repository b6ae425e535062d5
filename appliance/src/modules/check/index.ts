/**
 * Route: POST /api/check. The editor calls it while the visitor types
 * (debounced), so its budget is its own and generous, apart from the upload
 * budget: at most `checksPerMinutePerIp` checks per address and minute, and
 * at most `maxChecksWaiting` checks waiting or running tree-wide (each is a
 * confined python3 child; checker/limits.ts runs two at a time). It never
 * runs the program: it is the same check an upload passes (checker/check.ts).
 */
import { Elysia } from "elysia";
import type { AppContext, CheckVerdict } from "../../context.ts";
import { AppError } from "../../errors.ts";
import { toSeconds } from "../../scheduler/eta.ts";
import { SlidingWindowLimiter } from "../submissions/rate-limit.ts";
import { readUploadedSource } from "../submissions/upload-body.ts";
import type { CheckResult } from "./model.ts";

/** Twice a second for a minute of typing: a debounced editor stays far below it. */
export const checksPerMinutePerIp = 120;
/** Checks waiting or running at once, all addresses together; past it a 503 says to retry in a second. */
export const maxChecksWaiting = 16;

export interface CheckRouteOptions {
  checksPerMinute?: number;
  maxWaiting?: number;
}

export function toCheckResult(verdict: CheckVerdict): CheckResult {
  if (verdict.ok) return { ok: true, error: null, line: null, column: null, problems: [] };
  const { error, line, column } = verdict;
  const problems = verdict.problems ?? [{ line, column, message: error.replace(/^line \d+: /, "") }];
  return { ok: false, error, line, column, problems };
}

export function checkRoutes(ctx: AppContext, options: CheckRouteOptions = {}) {
  const perMinute = options.checksPerMinute ?? checksPerMinutePerIp;
  const maxWaiting = options.maxWaiting ?? maxChecksWaiting;
  const limiter = new SlidingWindowLimiter(perMinute, 60_000, ctx.now);
  let waiting = 0;
  return new Elysia({ name: "check" }).post(
    "/api/check",
    async ({ request, server }): Promise<CheckResult> => {
      const type = (request.headers.get("content-type") ?? "").split(";")[0]!.trim().toLowerCase();
      if (type !== "application/json") {
        throw new AppError("unsupported_media_type", 'Send the program as JSON: {"code": "...your program..."} with Content-Type: application/json.');
      }
      const ip = ctx.clientIp(request, server);
      const rate = limiter.hit(ip);
      if (!rate.ok) {
        const wait = Math.max(1, toSeconds(rate.retryAfterMs));
        throw new AppError("rate_limited", `Too many checks from your network: at most ${perMinute} per minute. Try again in ${wait} s.`, { retryAfterSeconds: wait });
      }
      if (waiting >= maxWaiting) {
        limiter.refund(ip);
        throw new AppError("checker_busy", "The tree is checking many programs right now. Try again in a second.", { retryAfterSeconds: 1 });
      }
      waiting += 1;
      try {
        // The same capped, TypeBox-validated reading as POST /upload's JSON form.
        const source = await readUploadedSource(request, ctx.uploadLimits);
        let verdict: CheckVerdict;
        try {
          verdict = await ctx.checkProgram(source);
        } catch (error) {
          ctx.log(`checker failed: ${String(error)}`);
          throw new AppError("checker_busy", "Your program could not be checked right now. Try again in a moment.", { retryAfterSeconds: 1 });
        }
        return toCheckResult(verdict);
      } finally {
        waiting -= 1;
      }
    },
    // The body is read by readUploadedSource, as a capped stream.
    { parse: "none" },
  );
}
