/**
 * The strip as the daemon drives it: a validated frame goes through the
 * limiter and the colour order to the driver, and the result is remembered so
 * `snapshot` can say what the LEDs show, whatever the driver. All buffers are
 * allocated once; showing a frame allocates only its small report.
 */
import type { SnapshotReply } from "../../protocol/messages.ts";
import { rgbToWire, wireLayout, type WireLayout } from "./color-order.ts";
import type { ColorOrder, LedDriver } from "./drivers/driver.ts";
import { estimateMilliamps, limitFrame, planLimiter, type LimiterPlan, type LimiterSettings, type LimitReport } from "./limiter.ts";

export interface StripOptions extends LimiterSettings {
  colorOrder: ColorOrder;
}

export class Strip {
  readonly plan: LimiterPlan;
  readonly layout: WireLayout;
  /** What the LEDs show: R, G, B per LED in strip order, after brightness and the limiter. */
  readonly rgb: Uint8Array;
  /** The same in the strip's colour order, as handed to the driver (reused every frame). */
  readonly wire: Uint8Array;
  /** Frames shown since start. */
  frames = 0;
  last: LimitReport;
  /** The driver's failure on the latest frame; null once a frame renders again (snapshot's driverError). */
  driverError: string | null = null;

  constructor(
    readonly driver: LedDriver,
    options: StripOptions,
  ) {
    this.plan = planLimiter(options);
    this.layout = wireLayout(options.colorOrder);
    this.rgb = new Uint8Array(options.ledCount * 3);
    this.wire = new Uint8Array(options.ledCount * this.layout.bytesPerLed);
    this.last = this.darkReport();
  }

  /** Shows a validated packed frame (R, G, B, L per LED). Rejects only when the driver fails. */
  show(packed: Uint8Array): void | Promise<void> {
    this.last = limitFrame(packed, this.plan, this.rgb);
    rgbToWire(this.rgb, this.layout, this.wire);
    this.frames++;
    return this.guard(() => this.driver.render(this.wire));
  }

  /** Turns every LED off. */
  off(): void | Promise<void> {
    this.rgb.fill(0);
    this.wire.fill(0);
    this.last = this.darkReport();
    return this.driver.allOff();
  }

  snapshot(): SnapshotReply {
    return {
      ok: true,
      rgb: Buffer.from(this.rgb.buffer, this.rgb.byteOffset, this.rgb.length).toString("base64"),
      milliamps: this.last.milliamps,
      requestedMilliamps: this.last.requestedMilliamps,
      limited: this.last.limited,
      scale: this.last.scale,
      frames: this.frames,
      driverError: this.driverError,
    };
  }

  /** A driver that fails mid-frame leaves the strip in an unknown state: make it dark, then report. */
  private guard(render: () => void | Promise<void>): void | Promise<void> {
    const rendered = () => {
      this.driverError = null;
    };
    const darkThenThrow = async (error: unknown) => {
      this.driverError = error instanceof Error ? error.message : String(error);
      try {
        await this.off();
      } catch {
        // The original failure is the one worth reporting.
      }
      throw error;
    };
    try {
      const result = render();
      if (result instanceof Promise) return result.then(rendered, darkThenThrow);
      rendered();
      return undefined;
    } catch (error) {
      return darkThenThrow(error);
    }
  }

  private darkReport(): LimitReport {
    const idle = Math.floor(estimateMilliamps(0, this.plan) * 100) / 100;
    return { requestedMilliamps: idle, milliamps: idle, scale: 1, limited: false };
  }
}
