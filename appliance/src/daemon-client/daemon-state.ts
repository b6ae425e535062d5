/**
 * The LED daemon as the operator sees it: whether it answers, its driver, the
 * current it estimates for what the strip shows and whether the limiter is
 * scaling frames down (its `info` and `snapshot` replies, protocol/messages.ts),
 * plus the last error a frame got back.
 */
import { Type as t, type Static, type TSchema } from "@sinclair/typebox";
import type { DaemonClient } from "./client.ts";

const nullable = <T extends TSchema>(schema: T) => t.Union([schema, t.Null()]);

export const DaemonStateSchema = t.Object({
  online: t.Boolean(),
  /** From the daemon's info (null before it ever answered). */
  driver: nullable(t.String()),
  ledCount: nullable(t.Integer()),
  budgetMilliamps: nullable(t.Number()),
  brightnessCapPercent: nullable(t.Integer()),
  /** From a snapshot taken now (null while offline). */
  milliamps: nullable(t.Number()),
  requestedMilliamps: nullable(t.Number()),
  limiterActive: nullable(t.Boolean()),
  /** The daemon's driver failure on the latest frame, else the last frame error the app got back. */
  lastError: nullable(t.String()),
});
export type DaemonState = Static<typeof DaemonStateSchema>;

/** A slow daemon must not hold up the operator's buttons: past this the draw is shown as unknown. */
export const daemonStateWaitMs = 1000;

export async function daemonState(daemon: Pick<DaemonClient, "online" | "info" | "snapshot" | "stats">): Promise<DaemonState> {
  const info = daemon.info;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<null>((resolve) => {
    timer = setTimeout(() => resolve(null), daemonStateWaitMs);
  });
  const snapshot = daemon.online ? await Promise.race([daemon.snapshot(), late]) : null;
  clearTimeout(timer);
  return {
    online: daemon.online,
    driver: info?.driver ?? null,
    ledCount: info?.ledCount ?? null,
    budgetMilliamps: info?.budgetMilliamps ?? null,
    brightnessCapPercent: info?.brightnessCapPercent ?? null,
    milliamps: snapshot?.milliamps ?? null,
    requestedMilliamps: snapshot?.requestedMilliamps ?? null,
    limiterActive: snapshot?.limited ?? null,
    lastError: snapshot?.driverError ?? daemon.stats.lastFrameError,
  };
}
