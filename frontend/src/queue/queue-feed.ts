/**
 * Follows the queue: GET /api/queue once, then the SSE stream /api/queue/events (event "queue").
 * EventSource reconnects by itself after network errors; if the server refuses the stream it gives
 * up, so we start a new one after a pause.
 */
import type { QueueView } from "../shared/api-types.ts";
import { requestJson } from "../shared/http.ts";

const restartAfterMs = 5000;

export function followQueue(onView: (view: QueueView) => void, onConnection: (connected: boolean, opened: boolean) => void): { refresh(): Promise<void> } {
  const refresh = async () => {
    const result = await requestJson<QueueView>("/api/queue");
    if (result.ok) onView(result.data);
  };

  const open = () => {
    const source = new EventSource("/api/queue/events");
    source.addEventListener("open", () => onConnection(true, true));
    source.addEventListener("queue", (event) => {
      try {
        onView(JSON.parse((event as MessageEvent<string>).data) as QueueView);
        onConnection(true, false);
      } catch {
        // A malformed event is skipped; the next one (at most 5 s away) brings the whole view.
      }
    });
    source.addEventListener("error", () => {
      onConnection(false, false);
      if (source.readyState === EventSource.CLOSED) setTimeout(open, restartAfterMs);
    });
  };

  void refresh();
  open();
  return { refresh };
}
