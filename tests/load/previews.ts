/**
 * Previews ("Try it"): POST /api/preview answers 202 with an id at once and
 * runs the program briefly for the browser that asked, which then follows it
 * with GET /api/preview/:id (its cookie proves it is that browser). Built
 * separately from this test: while the route does not exist (404 to a probe)
 * this part is skipped and says so. Each preview client is its own browser: it
 * loads the queue (getting its cookie), asks for one preview at a random moment
 * of the run, and follows it to its end. A global cap (`maxConcurrentPreviews`)
 * answers the rest 503 `previews_busy`, a documented refusal.
 */
import { keepCookie, sleep, timed } from "./http.ts";
import type { Recorder } from "./recorder.ts";

const previewProgram = "n = getLEDCount()\nfor step in range(30):\n    setLEDs([hsv(step * 8 + i, 1, 0.5) for i in range(n)])\n";
/** Statuses of a preview that ran as it should (`timeout`: it animated for its whole preview). */
const goodEnds = new Set(["completed", "timeout"]);
/** Longest a preview may take to end, start-up and a loaded machine included. */
const followLimitMs = 60_000;

/** true when the app answers POST /api/preview with anything but 404. */
export async function previewsAvailable(base: string): Promise<boolean> {
  const response = await fetch(`${base}/api/preview`, {
    method: "POST",
    headers: { "content-type": "application/json", "user-agent": "tree-load-test/1 probe" },
    body: JSON.stringify({ code: "pass\n" }),
  });
  await response.arrayBuffer();
  return response.status !== 404;
}

async function preview(who: number, base: string, atMs: number, recorder: Recorder): Promise<void> {
  const userAgent = `tree-load-test/1 preview-${who}`;
  const page = await timed(recorder, "queue", `${base}/api/queue`, { headers: { "user-agent": userAgent } }, [200]);
  const cookie = keepCookie(page, "");
  const headers = { "user-agent": userAgent, cookie };
  await sleep(Math.max(0, atMs - performance.now()));
  const started = await timed(recorder, "preview", `${base}/api/preview`, {
    method: "POST",
    headers: { ...headers, "content-type": "application/json" },
    body: JSON.stringify({ code: previewProgram }),
  }, [202]);
  if (started?.status !== 202) return;
  const { id } = JSON.parse(started.body) as { id: string };
  const until = performance.now() + followLimitMs;
  while (performance.now() < until) {
    await sleep(1000);
    const view = await timed(recorder, "preview-view", `${base}/api/preview/${id}`, { headers }, [200]);
    if (view?.status !== 200) return;
    const { status, error } = JSON.parse(view.body) as { status: string; error: string | null };
    if (status === "running") continue;
    if (!goodEnds.has(status)) recorder.error(`preview ${who} ended ${status}: ${error}`);
    return;
  }
  recorder.error(`preview ${who} was still running after ${followLimitMs / 1000} s`);
}

/** Starts `count` previews spread over the run (none in its last 12 s, so each can finish). */
export function runPreviews(base: string, count: number, startMs: number, deadlineMs: number, recorder: Recorder): Promise<void> {
  const window = Math.max(0, deadlineMs - startMs - 12_000);
  return Promise.all(Array.from({ length: count }, (_, who) => preview(who, base, startMs + Math.random() * window, recorder))).then(() => undefined);
}
