/**
 * Previews ("Try it"): POST /api/preview runs a program briefly for the page
 * that asked. Built separately from this test; while the route does not exist
 * (404 to a probe) this part is skipped and says so. Each preview client asks
 * once at a random moment of the run and reads the answer to its end.
 */
import { timed } from "./http.ts";
import type { Recorder } from "./recorder.ts";

const previewProgram = "n = getLEDCount()\nfor step in range(30):\n    setLEDs([hsv(step * 8 + i, 1, 0.5) for i in range(n)])\n";

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

export function runPreviews(base: string, count: number, startMs: number, deadlineMs: number, recorder: Recorder): Promise<void> {
  const one = async (who: number) => {
    const at = startMs + Math.random() * Math.max(0, deadlineMs - startMs - 12_000);
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, at - performance.now())));
    await timed(recorder, "preview", `${base}/api/preview`, {
      method: "POST",
      headers: { "content-type": "application/json", "user-agent": `tree-load-test/1 preview-${who}` },
      body: JSON.stringify({ code: previewProgram }),
    }, [200, 201, 202]);
  };
  return Promise.all(Array.from({ length: count }, (_, who) => one(who))).then(() => undefined);
}
