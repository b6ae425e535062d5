/**
 * Try it: POST /api/preview with the program, then follow /api/preview/:id/live (binary R, G, B
 * frames like /api/live, then one text message: the preview's final view). If the socket fails,
 * the result is polled from GET /api/preview/:id instead, so the visitor always hears the end.
 */
import type { PreviewStarted, PreviewView } from "../../../appliance/src/modules/preview/model.ts";
import { postJson, requestJson } from "../shared/http.ts";
import { formatDuration } from "../shared/format.ts";

export type { PreviewView };

export interface PreviewHandlers {
  onFrame(rgb: Uint8Array): void;
  onEnd(view: PreviewView): void;
  /** Not started (busy, budget spent, offline): a sentence for the visitor. */
  onRefused(message: string): void;
}

const pollMs = 700;

/** A preview's final view from the socket's text message, if it is one. */
export function parseEnd(text: string): PreviewView | undefined {
  try {
    const value = JSON.parse(text) as Partial<PreviewView>;
    if (typeof value.status === "string" && value.status !== "running" && typeof value.frames === "number") return value as PreviewView;
  } catch {
    // Not ours: ignored.
  }
  return undefined;
}

/** Starts a preview; the returned function stops following it (the page moved on). */
export async function startPreview(code: string, handlers: PreviewHandlers): Promise<() => void> {
  let stopped = false;
  const stop = () => {
    stopped = true;
    socket?.close();
  };
  let socket: WebSocket | undefined;
  if (code.trim() === "") {
    handlers.onRefused("The program is empty. Write something, or pick an example.");
    return stop;
  }
  const started = await postJson<PreviewStarted>("/api/preview", { code });
  if (!started.ok) {
    const { message, retryAfterSeconds } = started.error;
    handlers.onRefused(retryAfterSeconds !== undefined && !/\d/.test(message) ? `${message} Try again in ${formatDuration(retryAfterSeconds)}.` : message);
    return stop;
  }
  const id = encodeURIComponent(started.data.id);
  let ended = false;
  const end = (view: PreviewView) => {
    if (ended || stopped) return;
    ended = true;
    handlers.onEnd(view);
  };
  const poll = async () => {
    while (!ended && !stopped) {
      const answer = await requestJson<PreviewView>(`/api/preview/${id}`);
      if (answer.ok && answer.data.status !== "running") end(answer.data);
      else if (!answer.ok && answer.status !== 0) {
        handlers.onRefused(answer.error.message);
        ended = true;
      } else await new Promise((resolve) => setTimeout(resolve, pollMs));
    }
  };
  socket = new WebSocket(`${location.protocol === "https:" ? "wss:" : "ws:"}//${location.host}/api/preview/${id}/live`);
  socket.binaryType = "arraybuffer";
  socket.onmessage = (event: MessageEvent<ArrayBuffer | string>) => {
    if (stopped) return;
    if (typeof event.data === "string") {
      const view = parseEnd(event.data);
      if (view !== undefined) end(view);
      return;
    }
    handlers.onFrame(new Uint8Array(event.data));
  };
  socket.onclose = () => {
    // Closed without its final message (a network hiccup, a refused upgrade): ask for the result.
    if (!ended && !stopped) void poll();
  };
  return stop;
}
