/**
 * Draws the tree on a canvas: LEDs at their projected positions, coloured from the last live frame,
 * slowly turning (still when the visitor prefers reduced motion).
 */
import { displayLevel, offThreshold } from "./colour.ts";
import { projectLeds } from "./projection.ts";

const turnRadiansPerSecond = 0.25;
const maxDrawFps = 30;

export class TreeView {
  private positions: [number, number, number][] = [];
  private frame: Uint8Array = new Uint8Array(0);
  private angle = 0;
  private lastDrawMs = 0;
  private running = false;
  private readonly reducedMotion = matchMedia("(prefers-reduced-motion: reduce)").matches;

  constructor(private readonly canvas: HTMLCanvasElement) {
    new ResizeObserver(() => this.resize()).observe(canvas);
    this.resize();
  }

  setLayout(positions: [number, number, number][]): void {
    this.positions = positions;
    this.draw();
  }

  setFrame(rgb: Uint8Array): void {
    this.frame = rgb;
    if (this.reducedMotion) this.draw();
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    const tick = (nowMs: number) => {
      if (!this.running) return;
      requestAnimationFrame(tick);
      if (nowMs - this.lastDrawMs < 1000 / maxDrawFps) return;
      if (!this.reducedMotion) this.angle += (turnRadiansPerSecond * Math.min(nowMs - this.lastDrawMs, 100)) / 1000;
      this.lastDrawMs = nowMs;
      this.draw();
    };
    requestAnimationFrame(tick);
  }

  /** Stops drawing (a panel that was hidden); start() resumes. */
  stop(): void {
    this.running = false;
  }

  private resize(): void {
    const ratio = Math.min(window.devicePixelRatio || 1, 2);
    const width = Math.max(1, Math.round(this.canvas.clientWidth * ratio));
    const height = Math.max(1, Math.round(this.canvas.clientHeight * ratio));
    if (this.canvas.width !== width || this.canvas.height !== height) {
      this.canvas.width = width;
      this.canvas.height = height;
      this.draw();
    }
  }

  private draw(): void {
    const context = this.canvas.getContext("2d");
    if (context === null) return;
    const { width, height } = this.canvas;
    context.globalCompositeOperation = "source-over";
    context.clearRect(0, 0, width, height);
    const leds = projectLeds(this.positions, this.angle, width, height);
    const bulb = Math.max(1.5, Math.min(width, height) / 75);
    for (const led of leds) {
      const offset = led.index * 3;
      const r = this.frame[offset] ?? 0;
      const g = this.frame[offset + 1] ?? 0;
      const b = this.frame[offset + 2] ?? 0;
      const radius = bulb * led.scale;
      if (r + g + b < offThreshold) {
        context.globalCompositeOperation = "source-over";
        context.fillStyle = "rgba(120, 140, 160, 0.28)";
        context.beginPath();
        context.arc(led.x, led.y, radius * 0.8, 0, Math.PI * 2);
        context.fill();
        continue;
      }
      const colour = `${displayLevel(r)}, ${displayLevel(g)}, ${displayLevel(b)}`;
      // Additive blending makes overlapping glows add up like light does.
      context.globalCompositeOperation = "lighter";
      context.fillStyle = `rgba(${colour}, 0.22)`;
      context.beginPath();
      context.arc(led.x, led.y, radius * 2.6, 0, Math.PI * 2);
      context.fill();
      context.fillStyle = `rgb(${colour})`;
      context.beginPath();
      context.arc(led.x, led.y, radius, 0, Math.PI * 2);
      context.fill();
    }
    context.globalCompositeOperation = "source-over";
  }
}
