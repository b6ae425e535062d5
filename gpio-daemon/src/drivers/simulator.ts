/**
 * The simulated strip: keeps the last wire buffer exactly as the LEDs would
 * show it (colour order, brightness and limiter already applied by the daemon),
 * can draw it in a truecolour terminal, and can mirror it into a state file
 * that tests and container checks read (written atomically; at most every
 * `stateIntervalMs` while frames stream, at once when the strip goes dark).
 */
import { renameSync, writeFileSync } from "node:fs";
import { wireLayout, wireToRgb, type WireLayout } from "../color-order.ts";
import type { DriverOptions, LedDriver } from "./driver.ts";

export interface SimulatorOptions extends DriverOptions {
  /** JSON file that always holds what the strip shows (see `SimulatorState`). */
  stateFile?: string;
  /** Draw the strip on `terminal` (a truecolour terminal). */
  draw?: boolean;
  terminal?: { write(text: string): unknown; columns?: number };
  drawIntervalMs?: number;
  stateIntervalMs?: number;
}

/** What the state file holds. */
export interface SimulatorState {
  driver: "simulator";
  ledCount: number;
  colorOrder: string;
  /** Frames rendered since start (allOff is not a frame). */
  frames: number;
  /** LEDs with any channel above zero. */
  lit: number;
  /** base64 of R, G, B per LED in strip order, colour order undone. */
  rgb: string;
  /** base64 of the bytes as they went on the wire. */
  wire: string;
}

export const defaultDrawIntervalMs = 100;
export const defaultStateIntervalMs = 100;

export class SimulatorDriver implements LedDriver {
  readonly name = "simulator";
  readonly layout: WireLayout;
  /** The strip as it is lit now, in wire order. */
  readonly wire: Uint8Array;
  frames = 0;
  private closed = false;
  private drawTimer: ReturnType<typeof setTimeout> | undefined;
  private stateTimer: ReturnType<typeof setTimeout> | undefined;
  private drawnLines = 0;

  constructor(private readonly options: SimulatorOptions) {
    this.layout = wireLayout(options.colorOrder);
    this.wire = new Uint8Array(options.ledCount * this.layout.bytesPerLed);
    this.writeState();
  }

  render(wire: Uint8Array): void {
    if (this.closed) throw new Error("the simulator driver is closed");
    if (wire.length !== this.wire.length) {
      throw new RangeError(`expected ${this.wire.length} wire bytes (${this.options.ledCount} leds × ${this.layout.bytesPerLed}), got ${wire.length}`);
    }
    this.wire.set(wire);
    this.frames++;
    if (this.options.draw) this.drawTimer ??= setTimeout(() => this.draw(), this.options.drawIntervalMs ?? defaultDrawIntervalMs);
    if (this.options.stateFile !== undefined) {
      this.stateTimer ??= setTimeout(() => this.writeState(), this.options.stateIntervalMs ?? defaultStateIntervalMs);
    }
  }

  allOff(): void {
    this.wire.fill(0);
    this.flush();
  }

  close(): void {
    if (this.closed) return;
    this.allOff();
    this.closed = true;
  }

  /** R, G, B per LED in strip order, as a viewer would see the strip. */
  shownRgb(): Uint8Array {
    return wireToRgb(this.wire, this.layout);
  }

  state(): SimulatorState {
    const rgb = this.shownRgb();
    let lit = 0;
    for (let i = 0; i < rgb.length; i += 3) if (rgb[i]! | rgb[i + 1]! | rgb[i + 2]!) lit++;
    return {
      driver: "simulator",
      ledCount: this.options.ledCount,
      colorOrder: this.options.colorOrder,
      frames: this.frames,
      lit,
      rgb: Buffer.from(rgb).toString("base64"),
      wire: Buffer.from(this.wire).toString("base64"),
    };
  }

  /** Writes pending state and drawing now. */
  private flush(): void {
    if (this.options.draw) this.draw();
    this.writeState();
  }

  private writeState(): void {
    clearTimeout(this.stateTimer);
    this.stateTimer = undefined;
    const path = this.options.stateFile;
    if (path === undefined) return;
    const temporary = `${path}.${process.pid}.tmp`;
    writeFileSync(temporary, `${JSON.stringify(this.state())}\n`);
    renameSync(temporary, path);
  }

  private draw(): void {
    clearTimeout(this.drawTimer);
    this.drawTimer = undefined;
    const terminal = this.options.terminal ?? process.stdout;
    const columns = Math.max(1, terminal.columns ?? 80);
    const rgb = this.shownRgb();
    const rows: string[] = [];
    for (let start = 0; start < this.options.ledCount; start += columns) {
      let row = "";
      for (let led = start; led < Math.min(start + columns, this.options.ledCount); led++) {
        row += `\x1b[48;2;${rgb[led * 3]};${rgb[led * 3 + 1]};${rgb[led * 3 + 2]}m `;
      }
      rows.push(`${row}\x1b[0m`);
    }
    // Move back over the previous drawing so the strip redraws in place.
    const up = this.drawnLines > 0 ? `\x1b[${this.drawnLines}F` : "";
    terminal.write(`${up}${rows.join("\n")}\n`);
    this.drawnLines = rows.length;
  }
}
