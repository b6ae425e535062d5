/**
 * The queue page's event stream, held open by many visitors at once. Each
 * listener opens GET /api/queue/events, reads events until the run ends, and
 * counts as an error if it is refused with anything but a documented answer,
 * cut off early, or goes longer than `maxQuietMs` without an event (the server
 * sends one at least every 5 s).
 */
import { judge } from "./answers.ts";
import { sleep } from "./http.ts";
import type { Recorder } from "./recorder.ts";

export const maxQuietMs = 15_000;

export interface StreamStats {
  opened: number;
  events: number;
}

async function listener(who: number, base: string, deadlineMs: number, recorder: Recorder, stats: StreamStats): Promise<void> {
  await sleep(Math.random() * 5000);
  const controller = new AbortController();
  const started = performance.now();
  let response: Response;
  try {
    response = await fetch(`${base}/api/queue/events`, { headers: { "user-agent": `tree-load-test/1 listener-${who}` }, signal: controller.signal });
  } catch (error) {
    recorder.error(`events: ${(error as Error).message}`);
    return;
  }
  recorder.request("events", performance.now() - started);
  if (response.status !== 200) {
    const verdict = judge("events", response.status, await response.text(), [200]);
    if (verdict.kind === "refused") recorder.refused(verdict.code);
    else if (verdict.kind === "error") recorder.error(verdict.why);
    return;
  }
  stats.opened += 1;
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  let buffer = "";
  let lastEventMs = performance.now();
  let quiet = 0;
  const watchdog = setInterval(() => {
    quiet = Math.max(quiet, performance.now() - lastEventMs);
    if (performance.now() >= deadlineMs) controller.abort();
  }, 250);
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) {
        if (performance.now() < deadlineMs) recorder.error(`events: listener ${who}'s stream ended early`);
        break;
      }
      buffer += decoder.decode(value, { stream: true });
      let end: number;
      while ((end = buffer.indexOf("\n\n")) >= 0) {
        if (buffer.slice(0, end).includes("event: queue")) {
          stats.events += 1;
          lastEventMs = performance.now();
        }
        buffer = buffer.slice(end + 2);
      }
    }
  } catch (error) {
    if (!controller.signal.aborted) recorder.error(`events: listener ${who}: ${(error as Error).message}`);
  } finally {
    clearInterval(watchdog);
  }
  quiet = Math.max(quiet, Math.min(performance.now(), deadlineMs) - lastEventMs);
  if (quiet > maxQuietMs) recorder.error(`events: listener ${who} heard nothing for ${Math.round(quiet)} ms`);
}

export function runListeners(base: string, count: number, deadlineMs: number, recorder: Recorder, stats: StreamStats): Promise<void> {
  return Promise.all(Array.from({ length: count }, (_, who) => listener(who, base, deadlineMs, recorder, stats))).then(() => undefined);
}
