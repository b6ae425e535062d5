/**
 * Live-view WebSockets (/api/live), held open by many viewers at once. A
 * viewer counts as an error if it cannot connect, is closed by the server
 * before the run ends, or goes longer than `maxQuietMs` without a frame (an
 * unchanged strip is re-sent every 2 s).
 */
import { sleep } from "./http.ts";
import type { Recorder } from "./recorder.ts";

export const maxQuietMs = 10_000;

export interface LiveStats {
  opened: number;
  frames: number;
}

function viewer(who: number, base: string, deadlineMs: number, recorder: Recorder, stats: LiveStats): Promise<void> {
  return sleep(Math.random() * 5000).then(
    () =>
      new Promise<void>((resolve) => {
        const url = `${base.replace(/^http/, "ws")}/api/live`;
        const socket = new WebSocket(url, { headers: { "user-agent": `tree-load-test/1 viewer-${who}` } } as unknown as string[]);
        socket.binaryType = "arraybuffer";
        const started = performance.now();
        let lastFrameMs = started;
        let quiet = 0;
        let opened = false;
        let ending = false;
        const timer = setInterval(() => {
          quiet = Math.max(quiet, performance.now() - lastFrameMs);
          if (performance.now() >= deadlineMs) {
            ending = true;
            socket.close(1000);
          }
        }, 250);
        socket.onopen = () => {
          opened = true;
          stats.opened += 1;
          recorder.request("live", performance.now() - started);
        };
        socket.onmessage = (event) => {
          if (typeof event.data !== "string") {
            stats.frames += 1;
            lastFrameMs = performance.now();
          }
        };
        socket.onclose = (event) => {
          clearInterval(timer);
          if (!opened) recorder.error(`live: viewer ${who} could not connect (close ${event.code})`);
          else if (!ending) recorder.error(`live: viewer ${who} was closed early (code ${event.code} ${event.reason})`);
          else if (quiet > maxQuietMs) recorder.error(`live: viewer ${who} saw no frame for ${Math.round(quiet)} ms`);
          resolve();
        };
      }),
  );
}

export function runLiveViewers(base: string, count: number, deadlineMs: number, recorder: Recorder, stats: LiveStats): Promise<void> {
  return Promise.all(Array.from({ length: count }, (_, who) => viewer(who, base, deadlineMs, recorder, stats))).then(() => undefined);
}
