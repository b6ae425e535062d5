/**
 * One timed request of the load run: sends it, reads the whole answer, records
 * the latency under its route and judges the answer (answers.ts).
 */
import { judge, type Verdict } from "./answers.ts";
import type { Recorder } from "./recorder.ts";

/** Longest any one request may take before it counts as an error (the run stays bounded). */
export const requestTimeoutMs = 15_000;

export interface Answer {
  status: number;
  body: string;
  headers: Headers;
  verdict: Verdict;
}

export async function timed(recorder: Recorder, route: string, url: string, init: RequestInit, expected: readonly number[]): Promise<Answer | null> {
  const started = performance.now();
  try {
    const response = await fetch(url, { ...init, signal: AbortSignal.timeout(requestTimeoutMs) });
    const body = await response.text();
    recorder.request(route, performance.now() - started);
    const verdict = judge(route, response.status, body, expected);
    if (verdict.kind === "refused") recorder.refused(verdict.code);
    if (verdict.kind === "error") recorder.error(verdict.why);
    return { status: response.status, body, headers: response.headers, verdict };
  } catch (error) {
    recorder.request(route, performance.now() - started);
    recorder.error(`${route}: ${(error as Error).name}: ${(error as Error).message}`);
    return null;
  }
}

/** The `user_id` cookie from an answer, as a Cookie header value (or the one we had). */
export function keepCookie(answer: Answer | null, current: string): string {
  const set = answer?.headers.getSetCookie?.() ?? [];
  for (const line of set) {
    const pair = line.split(";")[0]!;
    if (pair.startsWith("user_id=")) return pair;
  }
  return current;
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
