/**
 * tree-gpio throughput: sustained frames per second and daemon CPU time per
 * frame, client → Unix socket → validation → limiter → simulator, for 100, 300
 * and 1000 LEDs with pipelined frames. Printed beside the WS2812 wire limit
 * (30 µs per LED + 300 µs latch) and, measured side by side in the same run, a
 * minimal baseline server that only splits lines, JSON.parses them and checks
 * the length. Both servers are separate processes on the same runtime (Bun)
 * driven by the same client. Usage: bun bench/daemon.bench.ts [seconds per server and LED count, default 4.5]
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

const root = resolve(import.meta.dir, "..");
const secondsPerRun = Number(process.argv[2] ?? 4.5);
const warmupSeconds = 0.4;
/** Turns per server and LED count; each gets secondsPerRun / rounds. */
const rounds = 3;
const ledCounts = [100, 300, 1000];
const framesInFlight = 256;
const framesPerWrite = 32;
const clockTicksPerSecond = 100;
const okReplyBytes = '{"ok":true}\n'.length;

/** The minimal protocol server: what "a plain Node implementation" does, nothing more. */
const baselineSource = `
import { createServer } from "node:net";
import { unlinkSync } from "node:fs";
const [path, count] = [process.argv[2], Number(process.argv[3])];
try { unlinkSync(path); } catch {}
createServer((socket) => {
  let rest = "";
  socket.setEncoding("utf8");
  socket.on("data", (chunk) => {
    const lines = (rest + chunk).split("\\n");
    rest = lines.pop();
    let out = "";
    for (const line of lines) {
      let ok = false;
      try { const v = JSON.parse(line); ok = Array.isArray(v) && v.length === count; } catch {}
      out += ok ? '{"ok":true}\\n' : '{"ok":false,"error":"bad frame"}\\n';
    }
    socket.write(out);
  });
}).listen(path, () => console.error("listening on " + path));
`;

const wireLimitFps = (leds: number) => 1e6 / (30 * leds + 300);

function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
  // Fields after "(comm) ": state is [0], utime [11], stime [12].
  return (Number(fields[11]) + Number(fields[12])) / clockTicksPerSecond;
}

async function startServer(command: string[], socket: string): Promise<Bun.Subprocess<"ignore", "ignore", "pipe">> {
  const child = Bun.spawn(command, { cwd: root, stdin: "ignore", stdout: "ignore", stderr: "pipe" });
  const reader = child.stderr.getReader();
  let text = "";
  while (!text.includes("listening on")) {
    const { value, done } = await reader.read();
    if (done) throw new Error(`server exited before listening: ${text}`);
    text += new TextDecoder().decode(value);
  }
  void (async () => {
    while (!(await reader.read()).done);
  })();
  return child;
}

function framesFor(leds: number): Uint8Array {
  // 32 different frames per write, so nothing can be cached between them.
  let seed = leds;
  const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  const lines: string[] = [];
  for (let f = 0; f < framesPerWrite; f++) {
    const states = Array.from({ length: leds }, () => [Math.floor(random() * 256), Math.floor(random() * 256), Math.floor(random() * 256), Math.floor(random() * 101)]);
    lines.push(JSON.stringify(states));
  }
  return new TextEncoder().encode(`${lines.join("\n")}\n`);
}

interface Measurement {
  fps: number;
  cpuMicrosPerFrame: number;
  rejected: number;
}

/** Pipelines frames at the server for `seconds`; counts replies; samples the server's CPU time around the window. */
async function drive(path: string, pid: number, batch: Uint8Array, seconds: number): Promise<Measurement> {
  let replies = 0;
  let rejected: number;
  let sent = 0;
  let pending: Uint8Array | undefined;
  let stopAt = Infinity;
  let replyBytes = 0;
  const socket = await Bun.connect({
    unix: path,
    socket: {
      data(socket, chunk) {
        replyBytes += chunk.length;
        for (let at = chunk.indexOf(10); at >= 0; at = chunk.indexOf(10, at + 1)) replies++;
        pump(socket);
      },
      drain(socket) {
        if (pending === undefined) return;
        const written = socket.write(pending);
        pending = written < pending.length ? pending.subarray(Math.max(written, 0)) : undefined;
        if (pending === undefined) pump(socket);
      },
    },
  });
  const pump = (s: typeof socket) => {
    while (pending === undefined && sent - replies < framesInFlight && performance.now() < stopAt) {
      const written = s.write(batch);
      sent += framesPerWrite;
      if (written < batch.length) pending = batch.subarray(Math.max(written, 0));
    }
  };
  const countFrom = () => ({ replies, cpu: cpuSeconds(pid), time: performance.now() });
  stopAt = performance.now() + (warmupSeconds + seconds) * 1000;
  pump(socket);
  await Bun.sleep(warmupSeconds * 1000);
  const start = countFrom();
  await Bun.sleep(seconds * 1000);
  const end = countFrom();
  while (replies < sent) await Bun.sleep(5);
  socket.end();
  // Every accepted frame's reply is '{"ok":true}\n'; anything longer means rejections, which void the figures.
  rejected = replyBytes === okReplyBytes * replies ? 0 : 1;
  const frames = end.replies - start.replies;
  // The two first replies of a batch can arrive in the sample's gap; a whole window keeps that error small.
  return { fps: frames / ((end.time - start.time) / 1000), cpuMicrosPerFrame: ((end.cpu - start.cpu) * 1e6) / frames, rejected };
}

async function startKind(kind: "daemon" | "baseline", leds: number, dir: string) {
  const path = join(dir, `${kind}-${leds}.sock`);
  const command =
    kind === "daemon"
      ? [process.execPath, join(root, "gpio-daemon/src/main.ts"), "--socket", path, "--led-count", String(leds), "--driver", "simulator", "--draw", "never", "--psu-amps", "1000"]
      : [process.execPath, join(dir, "baseline.ts"), path, String(leds)];
  return { path, child: await startServer(command, path) };
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

/**
 * Both servers run at once (the idle one costs nothing) and take turns, round
 * after round, so a burst of load on this shared machine hits both alike; the
 * medians of the rounds are reported.
 */
async function compare(leds: number, dir: string): Promise<{ daemon: Measurement; baseline: Measurement }> {
  const servers = { daemon: await startKind("daemon", leds, dir), baseline: await startKind("baseline", leds, dir) };
  const batch = framesFor(leds);
  const results: Record<"daemon" | "baseline", Measurement[]> = { daemon: [], baseline: [] };
  try {
    for (let round = 0; round < rounds; round++) {
      for (const kind of ["baseline", "daemon"] as const) {
        const { path, child } = servers[kind];
        results[kind].push(await drive(path, child.pid, batch, secondsPerRun / rounds));
      }
    }
  } finally {
    for (const { child } of Object.values(servers)) {
      child.kill("SIGTERM");
      await child.exited;
    }
  }
  const summary = (list: Measurement[]): Measurement => ({
    fps: median(list.map((m) => m.fps)),
    cpuMicrosPerFrame: median(list.map((m) => m.cpuMicrosPerFrame)),
    rejected: list.reduce((sum, m) => sum + m.rejected, 0),
  });
  return { daemon: summary(results.daemon), baseline: summary(results.baseline) };
}

const pad = (text: string | number, width: number) => String(text).padStart(width);

async function main() {
  const dir = mkdtempSync(join(tmpdir(), "tree-gpio-bench-"));
  writeFileSync(join(dir, "baseline.ts"), baselineSource);
  console.log(`tree-gpio: pipelined frames through a real Unix socket, median of ${rounds} alternating rounds, ${secondsPerRun} s per server in all, ${warmupSeconds} s warm-up per round, ${navigator.hardwareConcurrency} cores`);
  console.log(`${pad("LEDs", 5)} ${pad("wire fps", 9)} ${pad("daemon fps", 11)} ${pad("× wire", 7)} ${pad("µs CPU/frame", 13)} ${pad("baseline fps", 13)} ${pad("× wire", 7)} ${pad("µs CPU/frame", 13)} ${pad("daemon/baseline", 16)}`);
  let failed = false;
  try {
    for (const leds of ledCounts) {
      const { daemon, baseline } = await compare(leds, dir);
      if (daemon.rejected > 0 || baseline.rejected > 0) failed = true;
      const wire = wireLimitFps(leds);
      console.log(
        `${pad(leds, 5)} ${pad(wire.toFixed(0), 9)} ${pad(daemon.fps.toFixed(0), 11)} ${pad(`${(daemon.fps / wire).toFixed(0)}×`, 7)} ${pad(daemon.cpuMicrosPerFrame.toFixed(1), 13)} ` +
          `${pad(baseline.fps.toFixed(0), 13)} ${pad(`${(baseline.fps / wire).toFixed(0)}×`, 7)} ${pad(baseline.cpuMicrosPerFrame.toFixed(1), 13)} ${pad(`${(daemon.fps / baseline.fps).toFixed(2)}×`, 16)}`,
      );
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  console.log("goal: ≥ 100× the wire limit at 300 LEDs. CPU: the server process's user + system time per frame (10 ms clock ticks).");
  if (failed) {
    console.log("some frames were rejected: the figures are not valid");
    process.exit(1);
  }
}

await main();
