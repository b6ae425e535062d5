/**
 * Which answers count as errors. The API documents a few refusals a crowd may
 * meet (appliance/API.md): 429 and 503 with a stable code and a sentence for
 * the visitor. Those are counted, not failed; anything else outside the
 * route's expected statuses is an error.
 */

/** Codes a crowd may be answered with, per the API's tables. */
export const documentedRefusals = new Set([
  "rate_limited",
  "too_many_pending",
  "too_many_connections",
  "too_many_viewers",
  "queue_full",
  "previews_busy",
]);

/** A visitor-facing sentence: starts with a capital (or a quote or digit), ends with a full stop. */
const sentence = /^["A-Z0-9].{8,}[.!?]$/s;

export type Verdict = { kind: "ok" } | { kind: "refused"; code: string } | { kind: "error"; why: string };

/** Classifies an answer whose body (text) was read in full. */
export function judge(route: string, status: number, body: string, expected: readonly number[]): Verdict {
  if (expected.includes(status)) return { kind: "ok" };
  if (status === 429 || status === 503) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(body);
    } catch {
      parsed = undefined;
    }
    const { code, message } = (parsed ?? {}) as { code?: unknown; message?: unknown };
    if (typeof code === "string" && documentedRefusals.has(code) && typeof message === "string" && sentence.test(message)) {
      return { kind: "refused", code };
    }
  }
  return { kind: "error", why: `${route}: ${status} ${body.slice(0, 200)}` };
}
