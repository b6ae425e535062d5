/** fetch wrappers that turn every failure into an ApiError with a sentence a visitor can act on. */
import type { ApiError } from "./api-types.ts";

export type ApiResult<T> = { ok: true; status: number; data: T } | { ok: false; status: number; error: ApiError };

export async function requestJson<T>(path: string, init: RequestInit = {}): Promise<ApiResult<T>> {
  let response: Response;
  try {
    response = await fetch(path, { credentials: "same-origin", ...init, headers: { Accept: "application/json", ...init.headers } });
  } catch {
    return { ok: false, status: 0, error: { code: "NETWORK", message: "Could not reach the tree. Check your Wi-Fi and try again." } };
  }
  let body: unknown = undefined;
  try {
    body = await response.json();
  } catch {
    // Not JSON (a proxy's error page, an empty body): described below by status.
  }
  if (response.ok) return { ok: true, status: response.status, data: body as T };
  return { ok: false, status: response.status, error: toApiError(response.status, body) };
}

export function postJson<T>(path: string, value: unknown, method = "POST"): Promise<ApiResult<T>> {
  return requestJson<T>(path, { method, headers: { "Content-Type": "application/json" }, body: JSON.stringify(value) });
}

export function toApiError(status: number, body: unknown): ApiError {
  if (typeof body === "object" && body !== null && typeof (body as ApiError).message === "string") {
    const error = body as Partial<ApiError>;
    return {
      code: typeof error.code === "string" ? error.code : `HTTP_${status}`,
      message: error.message!,
      line: typeof error.line === "number" ? error.line : undefined,
      column: typeof error.column === "number" ? error.column : undefined,
      retryAfterSeconds: typeof error.retryAfterSeconds === "number" ? error.retryAfterSeconds : undefined,
    };
  }
  const fallback = status >= 500 ? "The tree's server had a problem. Try again in a moment." : `The server refused the request (HTTP ${status}).`;
  return { code: `HTTP_${status}`, message: fallback };
}
