/**
 * The one HTTP error envelope: `{code, message}` with a 4xx/5xx status, plus
 * optional fields (line/column of a check failure, retryAfterSeconds). Routes
 * throw an AppError; the server's onError turns it into JSON. Codes are stable
 * (the frontend switches on them); messages are for people.
 */
export const errorCodes = {
  bad_request: 400,
  validation: 400,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  /** The data directory's disk is full: the upload could not be stored (nothing of it was kept). */
  insufficient_storage: 507,
  payload_too_large: 413,
  unsupported_media_type: 415,
  check_failed: 422,
  not_utf8: 422,
  rate_limited: 429,
  too_many_pending: 429,
  /** One address already holds maxEventStreamsPerIp streams or maxLiveViewersPerIp live sockets. */
  too_many_connections: 429,
  /** Every queue stream or live socket the server allows at once is taken. */
  too_many_viewers: 503,
  /** A Host header that is not one of this tree's names (DNS rebinding). */
  unknown_host: 421,
  blocked: 403,
  operator_disabled: 404,
  unauthorized: 401,
  /** Every preview slot (maxConcurrentPreviews) is taken, or Try it is turned off. */
  previews_busy: 503,
  queue_full: 503,
  /** POST /api/check: too many checks waiting tree-wide, or the checker failed; retry in a second. */
  checker_busy: 503,
  sandbox_unavailable: 503,
  internal: 500,
} as const;
export type ErrorCode = keyof typeof errorCodes;

export class AppError extends Error {
  readonly status: number;
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly extra: Record<string, string | number> = {},
  ) {
    super(message);
    this.status = errorCodes[code];
  }

  toJSON(): Record<string, string | number> {
    return { code: this.code, message: this.message, ...this.extra };
  }
}

export const notFound = (what: string) => new AppError("not_found", `${what} was not found`);
