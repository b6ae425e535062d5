/**
 * The visitor's own virtual tree for Try it: shown under the editor (where the visitor is looking
 * on a phone, unlike the live tree at the top), drawn by the same TreeView as the live tree, and
 * hidden again when closed. It says in words that only this visitor sees it.
 */
import { TreeView } from "../live/tree-view.ts";
import type { Layout } from "../shared/api-types.ts";
import { required } from "../shared/dom.ts";
import { requestJson } from "../shared/http.ts";

export class PreviewPanel {
  private readonly view: TreeView;
  private readonly status: HTMLElement;
  /** Seconds since the start: not in the live region, so a screen reader is not told every second. */
  private readonly clock: HTMLElement;
  private layoutLoaded = false;
  private ticker: ReturnType<typeof setInterval> | undefined;

  constructor(private readonly panel: HTMLElement) {
    this.view = new TreeView(required<HTMLCanvasElement>("canvas", panel));
    this.status = required("[data-preview-status]", panel);
    this.clock = required("[data-preview-clock]", panel);
    required("[data-preview-close]", panel).addEventListener("click", () => this.close());
  }

  /** A new preview starts: a dark tree, a running clock. */
  begin(): void {
    this.panel.hidden = false;
    this.panel.dataset.frames = "0";
    this.panel.dataset.state = "starting";
    this.view.setFrame(new Uint8Array(0));
    this.view.start();
    if (!this.layoutLoaded) {
      void requestJson<Layout>("/api/layout").then((result) => {
        if (!result.ok) return;
        this.layoutLoaded = true;
        this.view.setLayout(result.data.positions);
      });
    }
    const startedMs = Date.now();
    this.say("Starting your preview…");
    this.clock.textContent = "";
    clearInterval(this.ticker);
    this.ticker = setInterval(() => {
      this.clock.textContent = `${Math.floor((Date.now() - startedMs) / 1000)} s`;
    }, 1000);
    this.panel.scrollIntoView({ block: "nearest", behavior: matchMedia("(prefers-reduced-motion: reduce)").matches ? "auto" : "smooth" });
  }

  frame(rgb: Uint8Array): void {
    this.view.setFrame(rgb);
    if (this.panel.dataset.state === "starting") this.say("Preview: only you see this, the real tree is not touched.");
    this.panel.dataset.state = "running";
    this.panel.dataset.frames = String(Number(this.panel.dataset.frames ?? 0) + 1);
  }

  /** The preview ended (or never started): the last frame stays, with a sentence. */
  end(text: string, state: string): void {
    clearInterval(this.ticker);
    this.clock.textContent = "";
    this.panel.dataset.state = state;
    this.say(text);
  }

  close(): void {
    clearInterval(this.ticker);
    this.panel.hidden = true;
    this.view.stop();
  }

  private say(text: string): void {
    this.status.textContent = text;
  }
}
