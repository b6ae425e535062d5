/**
 * Does a preview disturb the program on the tree? The tree's run animates at ~50 frames a second
 * while, in alternating rounds, 0 and then 2 previews of a CPU-hungry program run beside it (each
 * watched over its WebSocket, as the editor does). The frame-interval p50/p99 of the tree's run is
 * measured where frames land: a recording LED driver behind the real daemon code, on the real
 * socket, with tree-app as its own process and the real sandbox. Ratios are within this one run.
 * Run: npm run bench -- preview   (or: bun bench/preview.bench.ts)
 */
import { SimulatorDriver } from "../gpio-daemon/src/drivers/simulator.ts";
import { startTestDaemon } from "../gpio-daemon/src/testing/test-daemon.ts";
import { startStack } from "../tests/integration/app/stack.ts";

const ledCount = 300;
const rounds = 6;
const measureMs = 7000;
const previewSeconds = 10;

const treeProgram = `import time
n = getLEDCount()
step = 0
while True:
    setLEDs([[(step + i) % 256, 64, 0, 100] for i in range(n)])
    step += 1
    time.sleep(0.02)
`;

// The worst a visitor can do within the rules: burn the CPU between frames, every frame different.
const previewProgram = `import math
n = getLEDCount()
t = 0.0
while True:
    x = 0
    for i in range(40000):
        x += i * i
    setLEDs([[int(127 + 127 * math.sin(t + i / 10)), 0, 90, 100] for i in range(n)])
    t += 0.1
`;

const renders: number[] = [];
const daemon = await startTestDaemon({
  ledCount,
  driver: (options) => {
    const simulator = new SimulatorDriver(options);
    return {
      name: "recording",
      render(wire) {
        renders.push(performance.now());
        return simulator.render(wire);
      },
      allOff: () => simulator.allOff(),
      close: () => simulator.close(),
    };
  },
});
const stack = await startStack({
  daemon: false,
  appArgs: [
    "--gpio-socket", daemon.path,
    "--idle-show", "false",
    "--slot-seconds", "600",
    "--preview-seconds", String(previewSeconds),
    "--max-concurrent-previews", "2",
    "--max-running-previews-per-ip", "2",
    "--previews-per-minute-per-ip", "1000",
  ],
});

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

function intervalsBetween(startMs: number, endMs: number): number[] {
  const times = renders.filter((at) => at >= startMs && at < endMs);
  const intervals: number[] = [];
  for (let i = 1; i < times.length; i++) intervals.push(times[i]! - times[i - 1]!);
  return intervals.sort((a, b) => a - b);
}

interface Preview {
  id: string;
  cookie: string;
  socket: WebSocket;
  frames: number;
}

async function startPreview(visitor: number): Promise<Preview> {
  const response = await fetch(`${stack.url}/api/preview`, {
    method: "POST",
    headers: { "content-type": "application/json", "user-agent": `bench previewer ${visitor}` },
    body: JSON.stringify({ code: previewProgram }),
  });
  if (response.status !== 202) throw new Error(`preview refused: ${response.status} ${await response.text()}`);
  const { id } = (await response.json()) as { id: string };
  const cookie = response.headers.getSetCookie().map((line) => line.split(";")[0]).join("; ");
  const socket = new WebSocket(`${stack.url.replace("http", "ws")}/api/preview/${id}/live`, { headers: { cookie } } as unknown as string[]);
  socket.binaryType = "arraybuffer";
  const preview: Preview = { id, cookie, socket, frames: 0 };
  socket.onmessage = (event) => {
    if (event.data instanceof ArrayBuffer) preview.frames++;
  };
  return preview;
}

async function waitUntilEnded(preview: Preview): Promise<string> {
  for (;;) {
    const view = (await (await fetch(`${stack.url}/api/preview/${preview.id}`, { headers: { cookie: preview.cookie } })).json()) as { status: string };
    if (view.status !== "running") return view.status;
    await Bun.sleep(200);
  }
}

try {
  const upload = await fetch(`${stack.url}/upload`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ code: treeProgram }) });
  if (upload.status !== 201) throw new Error(`upload: ${upload.status} ${await upload.text()}`);
  const deadline = Date.now() + 20_000;
  while (renders.length < 50) {
    if (Date.now() > deadline) throw new Error(`the tree's run never reached the LEDs\n${stack.appOutput()}`);
    await Bun.sleep(100);
  }

  const results: Record<0 | 2, number[][]> = { 0: [], 2: [] };
  const previewFrames: number[] = [];
  for (let round = 0; round < rounds; round++) {
    const previews = round % 2 === 1 ? 2 : 0;
    const running = previews === 0 ? [] : await Promise.all([startPreview(round * 2), startPreview(round * 2 + 1)]);
    // Let the previews' sandboxes start and settle into their loops.
    await Bun.sleep(800);
    const startMs = performance.now();
    await Bun.sleep(measureMs);
    results[previews].push(intervalsBetween(startMs, performance.now()));
    for (const preview of running) {
      const status = await waitUntilEnded(preview);
      if (status !== "timeout") throw new Error(`a preview ended ${status}, not at its time limit`);
      previewFrames.push(preview.frames);
      preview.socket.close();
    }
    await Bun.sleep(300);
  }

  const fmt = (n: number) => n.toFixed(1);
  const summary = (label: string, perRound: number[][]) => {
    const all = perRound.flat().sort((a, b) => a - b);
    const p99s = perRound.map((intervals) => fmt(percentile(intervals, 99))).join(", ");
    console.log(`${label}: ${all.length} intervals, p50 ${fmt(percentile(all, 50))} ms, p99 ${fmt(percentile(all, 99))} ms (per round: ${p99s}), max ${fmt(all.at(-1)!)} ms`);
    return percentile(all, 99);
  };
  console.log(`tree run at ~50 fps on ${ledCount} LEDs, frame interval at the LED driver, ${rounds} alternating rounds of ${measureMs / 1000} s:`);
  const without = summary("  0 previews", results[0]);
  const with2 = summary("  2 previews", results[2]);
  console.log(`  p99 with 2 previews / without: ${(with2 / without).toFixed(2)}; frames each preview's page received: ${previewFrames.join(", ")}`);
} finally {
  await stack.stop();
  await daemon.stop();
}

