/**
 * Mounts the live virtual tree into a page's [data-live-tree] panel: fetches the layout, follows the
 * live WebSocket, and says in words whether the real tree is online.
 */
import type { Layout } from "../shared/api-types.ts";
import { requestJson } from "../shared/http.ts";
import { required } from "../shared/dom.ts";
import { connectLive } from "./live-connection.ts";
import { TreeView } from "./tree-view.ts";

export function mountLiveTree(panel: HTMLElement): void {
  const view = new TreeView(required<HTMLCanvasElement>("canvas", panel));
  const status = required("[data-tree-status]", panel);
  let ledCount = 0;
  let online: boolean | undefined;
  let connection: "connecting" | "open" | "closed" = "connecting";
  let layoutRequest: Promise<void> | undefined;

  const showStatus = () => {
    const state = connection !== "open" ? connection : online === false ? "offline" : "live";
    panel.dataset.state = state;
    status.textContent = {
      connecting: "Connecting to the tree…",
      closed: "Lost the live view. Reconnecting…",
      offline: "The tree is offline right now. Programs still run; the lights will follow when it is back.",
      live: "Live view of the tree",
    }[state];
  };

  const loadLayout = () => {
    layoutRequest ??= requestJson<Layout>("/api/layout").then((result) => {
      layoutRequest = undefined;
      if (!result.ok) return;
      ledCount = result.data.ledCount;
      view.setLayout(result.data.positions);
    });
    return layoutRequest;
  };

  void loadLayout();
  view.start();
  connectLive({
    onFrame(rgb) {
      // A different LED count means the tree was reconfigured: fetch its new layout.
      if (rgb.length !== ledCount * 3 && layoutRequest === undefined) void loadLayout();
      view.setFrame(rgb);
      panel.dataset.frames = String(Number(panel.dataset.frames ?? 0) + 1);
    },
    onOnline(value) {
      online = value;
      showStatus();
    },
    onConnection(value) {
      connection = value;
      // How many times the live socket has opened: more than one means it reconnected.
      if (value === "open") panel.dataset.connections = String(Number(panel.dataset.connections ?? 0) + 1);
      showStatus();
    },
  });
}
