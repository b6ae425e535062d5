/**
 * The /api/live WebSocket: binary messages are R, G, B bytes per LED; text messages are
 * {"online": bool}. Reconnects with backoff, and closes while the page is hidden so a phone in a
 * pocket does not keep downloading frames.
 */
export interface LiveHandlers {
  onFrame(rgb: Uint8Array): void;
  onOnline(online: boolean): void;
  onConnection(state: "connecting" | "open" | "closed"): void;
}

const firstRetryMs = 1000;
const maxRetryMs = 15_000;

export function connectLive(handlers: LiveHandlers): () => void {
  let socket: WebSocket | undefined;
  let retryMs = firstRetryMs;
  let retryTimer: ReturnType<typeof setTimeout> | undefined;
  let stopped = false;

  const open = () => {
    if (stopped || socket !== undefined || document.visibilityState === "hidden") return;
    handlers.onConnection("connecting");
    const url = `${location.protocol === "https:" ? "wss:" : "ws:"}//${location.host}/api/live`;
    const current = new WebSocket(url);
    socket = current;
    current.binaryType = "arraybuffer";
    current.onopen = () => {
      retryMs = firstRetryMs;
      handlers.onConnection("open");
    };
    current.onmessage = (event: MessageEvent<ArrayBuffer | string>) => {
      if (typeof event.data === "string") {
        try {
          const message = JSON.parse(event.data) as { online?: unknown };
          if (typeof message.online === "boolean") handlers.onOnline(message.online);
        } catch {
          // A text message we do not understand is ignored, not fatal.
        }
        return;
      }
      handlers.onFrame(new Uint8Array(event.data));
    };
    current.onclose = () => {
      if (socket !== current) return;
      socket = undefined;
      handlers.onConnection("closed");
      scheduleRetry();
    };
  };

  const scheduleRetry = () => {
    if (stopped || retryTimer !== undefined || document.visibilityState === "hidden") return;
    retryTimer = setTimeout(() => {
      retryTimer = undefined;
      open();
    }, retryMs);
    retryMs = Math.min(retryMs * 2, maxRetryMs);
  };

  const onVisibility = () => {
    if (document.visibilityState === "hidden") {
      const current = socket;
      socket = undefined;
      current?.close();
    } else {
      retryMs = firstRetryMs;
      open();
    }
  };
  document.addEventListener("visibilitychange", onVisibility);
  open();

  return () => {
    stopped = true;
    document.removeEventListener("visibilitychange", onVisibility);
    clearTimeout(retryTimer);
    socket?.close();
  };
}
