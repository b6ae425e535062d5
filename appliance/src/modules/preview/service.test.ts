import { describe, expect, it } from "vitest";
import { FakeRunner } from "../../testing/fake-runner.ts";
import { maxKeptPreviews, previewKeepMs, PreviewService, splitErrorLine } from "./service.ts";

function service(now: () => number) {
  const runner = new FakeRunner();
  const previews = new PreviewService({
    config: { previewSeconds: 10, maxConcurrentPreviews: 2, previewsPerMinutePerIp: 100_000, maxRunningPreviewsPerIp: 1, liveFps: 20 },
    runProgram: runner.run,
    checkProgram: async () => ({ ok: true }),
    sandbox: { ready: true },
    ledCount: () => 10,
    now,
  });
  return { runner, previews };
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

describe("PreviewService memory", () => {
  it("forgets a finished preview after previewKeepMs", async () => {
    let clock = 1_000_000;
    const { runner, previews } = service(() => clock);
    const { id } = previews.start("owner-a", "10.0.0.1", "x = 1\n");
    await settle();
    runner.last!.finish();
    await settle();
    expect(previews.view(id, "owner-a")?.status).toBe("completed");
    clock += previewKeepMs - 1;
    expect(previews.view(id, "owner-a")).toBeDefined();
    clock += 2;
    expect(previews.view(id, "owner-a")).toBeUndefined();
  });

  it("keeps at most maxKeptPreviews, dropping the oldest finished first", async () => {
    let clock = 1_000_000;
    const { runner, previews } = service(() => clock);
    const ids: string[] = [];
    for (let i = 0; i <= maxKeptPreviews; i++) {
      ids.push(previews.start(`owner-${i}`, `10.1.${i >> 8}.${i & 255}`, "x = 1\n").id);
      await settle();
      runner.last!.finish();
      await settle();
      clock += 1;
    }
    previews.start("owner-last", "10.2.0.1", "x = 1\n");
    expect(previews.view(ids[0]!, "owner-0")).toBeUndefined();
    expect(previews.view(ids[1]!, "owner-1")).toBeUndefined();
    expect(previews.view(ids.at(-1)!, `owner-${maxKeptPreviews}`)?.status).toBe("completed");
  });
});

describe("splitErrorLine", () => {
  it("takes the runner's line prefix apart and leaves other errors whole", () => {
    expect(splitErrorLine("line 12: NameError: name 'x' is not defined")).toEqual({ line: 12, message: "NameError: name 'x' is not defined" });
    expect(splitErrorLine("stopped: printed more than 1024 KiB; print less")).toEqual({ line: null, message: "stopped: printed more than 1024 KiB; print less" });
  });
});
