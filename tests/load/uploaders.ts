/**
 * Visitors who upload: each uploads a short program, polls its status and the
 * queue page's JSON a few times, then cancels it (unless it already ran), and
 * thinks for a while before the next. One in `keepEvery` uploads is left to
 * run, so the tree keeps running visitors' programs during the test. Every
 * 201-answered id is kept for the "nothing lost" check.
 */
import { keepCookie, sleep, timed } from "./http.ts";
import type { Recorder } from "./recorder.ts";

export interface UploaderOptions {
  base: string;
  count: number;
  deadlineMs: number;
  recorder: Recorder;
  /** Every 201-answered submission id, in order. */
  accepted: string[];
  keepEvery?: number;
}

const program = (who: number, round: number) =>
  [
    `# load test: uploader ${who}, round ${round}`,
    "n = getLEDCount()",
    "for step in range(20):",
    `    setLEDs([hsv(step * 12 + i * ${(who % 7) + 1}, 1, 0.4) for i in range(n)])`,
    "",
  ].join("\n");

/** Pause between one upload's cancel and the next upload. */
export const thinkMs = { from: 10_000, to: 30_000 };

const jitter = (fromMs: number, toMs: number) => fromMs + Math.random() * (toMs - fromMs);

async function uploader(who: number, options: UploaderOptions): Promise<void> {
  const { base, recorder, deadlineMs } = options;
  const keepEvery = options.keepEvery ?? 10;
  // Each uploader is its own visitor: a browser of its own (the id is a hash of address and User-Agent).
  const userAgent = `tree-load-test/1 uploader-${who}`;
  let cookie = "";
  const headers = () => ({ "user-agent": userAgent, ...(cookie === "" ? {} : { cookie }) });
  // Spread the first uploads over the first seconds, as a crowd arrives.
  await sleep(jitter(0, 5000));
  for (let round = 0; performance.now() < deadlineMs; round++) {
    const upload = await timed(recorder, "upload", `${base}/upload`, {
      method: "POST",
      headers: { ...headers(), "content-type": "application/json" },
      body: JSON.stringify({ code: program(who, round) }),
    }, [201]);
    cookie = keepCookie(upload, cookie);
    if (upload?.status === 201) {
      const uuid = (JSON.parse(upload.body) as { uuid: string }).uuid;
      options.accepted.push(uuid);
      for (let poll = 0; poll < 3 && performance.now() < deadlineMs; poll++) {
        await sleep(jitter(600, 1400));
        await timed(recorder, "submission", `${base}/api/submissions/${uuid}`, { headers: headers() }, [200]);
        await timed(recorder, "queue", `${base}/api/queue`, { headers: headers() }, [200]);
      }
      if ((who + round) % keepEvery !== 0) {
        // 409: it started (or finished) meanwhile, which the API documents for a cancel.
        await timed(recorder, "cancel", `${base}/api/submissions/${uuid}`, { method: "DELETE", headers: headers() }, [200, 409]);
      }
    } else if (upload?.verdict.kind === "refused") {
      const retry = Number((JSON.parse(upload.body) as { retryAfterSeconds?: number }).retryAfterSeconds ?? 2);
      await sleep(Math.min(retry * 1000, 5000));
    }
    // A visitor reads the result, edits and tries again: 10-30 s even for a quick one. With the polls
    // that is about one upload per 23 s per uploader: 100 uploaders make ~4 uploads a second, each
    // checked in a child process (at most two at once, checker/limits.ts), plus a check per run.
    await sleep(jitter(thinkMs.from, thinkMs.to));
  }
}

export function runUploaders(options: UploaderOptions): Promise<void> {
  return Promise.all(Array.from({ length: options.count }, (_, who) => uploader(who, options))).then(() => undefined);
}
