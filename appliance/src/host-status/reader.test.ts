import { mkdtempSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { HostStatusReader, maxHostStatusBytes, notOnAppliance, readHostStatus, type HostStatusView } from "./reader.ts";
import { sampleHostStatus } from "./sample.ts";

const tempFile = () => join(mkdtempSync(join(tmpdir(), "host-status-")), "status.json");
/** As tree-host writes it: a temp file renamed over the old one. */
function writeAtomically(path: string, text: string): void {
  writeFileSync(`${path}.tmp`, text);
  renameSync(`${path}.tmp`, path);
}

describe("readHostStatus", () => {
  it("reads a valid file as known", () => {
    const path = tempFile();
    const status = sampleHostStatus({ phase: "hotspot-fallback" });
    writeAtomically(path, JSON.stringify(status));
    expect(readHostStatus(path)).toEqual({ state: "known", reason: null, status });
  });

  it("says a missing file is not written yet", () => {
    const view = readHostStatus(join(tmpdir(), "no-such-dir-for-host-status", "status.json"));
    expect(view.state).toBe("unknown");
    expect(view.status).toBeNull();
    expect(view.reason).toMatch(/tree-host has not written it/);
  });

  it.each([
    ["not JSON", "{\"version\": 1,", /is not valid JSON/],
    ["another version", JSON.stringify({ ...sampleHostStatus(), version: 2 }), /has version 2; this tree-app reads version 1/],
    ["a wrong phase", JSON.stringify({ ...sampleHostStatus(), phase: "on-fire" }), /phase:/],
    ["a missing field", JSON.stringify({ ...sampleHostStatus(), network: { ...sampleHostStatus().network, publicUrl: undefined } }), /network\.publicUrl:/],
    ["an array", "[]", /has version none/],
  ])("says what is wrong with %s", (_what, text, reason) => {
    const path = tempFile();
    writeAtomically(path, text);
    const view = readHostStatus(path);
    expect(view.state).toBe("unknown");
    expect(view.reason).toMatch(reason);
  });

  it("refuses an oversized file without reading it whole", () => {
    const path = tempFile();
    writeAtomically(path, " ".repeat(maxHostStatusBytes + 1));
    expect(readHostStatus(path).reason).toMatch(/more than the/);
  });
});

describe("HostStatusReader", () => {
  it("is not on an appliance without a path", () => {
    const reader = new HostStatusReader({ path: undefined });
    expect(reader.view).toEqual(notOnAppliance);
    expect(reader.phase).toBeUndefined();
  });

  it("re-reads the file when it changes and tells the subscribers once per change", () => {
    const path = tempFile();
    const reader = new HostStatusReader({ path });
    expect(reader.view.state).toBe("unknown");
    expect(reader.phase).toBeNull();
    const seen: HostStatusView[] = [];
    reader.subscribe((view) => seen.push(view));

    writeAtomically(path, JSON.stringify(sampleHostStatus({ phase: "booting" })));
    reader.check();
    expect(reader.phase).toBe("booting");
    reader.check(); // unchanged: nobody is told again
    expect(seen.map((view) => view.status?.phase)).toEqual(["booting"]);

    writeAtomically(path, JSON.stringify(sampleHostStatus({ phase: "ready" })));
    reader.check();
    expect(reader.phase).toBe("ready");

    writeAtomically(path, "garbage");
    reader.check();
    expect(reader.view.state).toBe("unknown");

    rmSync(path);
    reader.check();
    expect(reader.view.reason).toMatch(/has not written it/);
    expect(seen.map((view) => view.status?.phase ?? view.state)).toEqual(["booting", "ready", "unknown", "unknown"]);
  });

  it("polls on its own once started", async () => {
    const path = tempFile();
    const reader = new HostStatusReader({ path, pollMs: 20 });
    reader.start();
    try {
      writeAtomically(path, JSON.stringify(sampleHostStatus({ phase: "led-fault" })));
      const until = Date.now() + 10_000;
      while (reader.phase !== "led-fault" && Date.now() < until) await Bun.sleep(10);
      expect(reader.phase).toBe("led-fault");
    } finally {
      reader.stop();
    }
  });
});
