/** A valid host status (version 1) for tests and the browser stack; override what a test is about. */
import type { HostStatus } from "./schema.ts";

export function sampleHostStatus(overrides: Partial<HostStatus> = {}): HostStatus {
  return {
    version: 1,
    updatedAt: "2026-12-03T14:00:00Z",
    phase: "ready",
    network: {
      mode: "hotspot",
      active: "hotspot",
      ssid: "Tree",
      addresses: ["10.42.0.1"],
      publicUrl: "http://10.42.0.1/",
      fellBack: false,
      fallbackReason: null,
    },
    images: { result: "loaded", detail: null },
    containers: { app: "healthy", gpio: "healthy" },
    led: { driver: "simulator", lastError: null },
    problems: [],
    ...overrides,
  };
}
