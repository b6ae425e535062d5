/**
 * tree-app under load, measured side by side in one run:
 *   1. idle RSS of the app (daemon connected, idle show running, nobody watching);
 *   2. GET /api/queue with 100 concurrent clients (20 submissions waiting), beside
 *      a bare Bun.serve answering the same bytes: our requests/s as a ratio of it;
 *   3. the live view with 200 WebSocket viewers at liveFps (20): frames each viewer
 *      receives per second, and the app's CPU and RSS while it runs, beside idle.
 * Run: npm run bench -- app   (or: bun bench/app.bench.ts)
 */
import { readFileSync } from "node:fs";
import { startStack } from "../tests/integration/app/stack.ts";

const queueClients = 100;
const queueSeconds = 3;
const queueRounds = 2;
const viewers = 200;
const liveSeconds = 5;

function processStats(pid: number): { cpuSeconds: number; rssMiB: number } {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  const ticks = Number(fields[11]) + Number(fields[12]);
  const rssKiB = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))![1]);
  return { cpuSeconds: ticks / 100, rssMiB: rssKiB / 1024 };
}

async function hammer(url: string, clients: number, seconds: number, headers: Record<string, string> = {}): Promise<number> {
  const deadline = performance.now() + seconds * 1000;
  let done = 0;
  await Promise.all(
    Array.from({ length: clients }, async () => {
      while (performance.now() < deadline) {
        const response = await fetch(url, { headers });
        await response.arrayBuffer();
        if (response.status !== 200) throw new Error(`${url} answered ${response.status}`);
        done++;
      }
    }),
  );
  return done / seconds;
}

const fmt = (n: number, digits = 0) => n.toFixed(digits);

const stack = await startStack({ ledCount: 300, appArgs: ["--uploads-per-minute-per-ip", "1000", "--max-pending-per-ip", "1000", "--max-pending-total", "1000", "--max-live-viewers-per-ip", "1000", "--max-event-streams-per-ip", "1000"] });
try {
  const pid = stack.appPid();
  await Bun.sleep(1500);
  const idle = processStats(pid);
  await Bun.sleep(3000);
  const idleAfter = processStats(pid);
  const idleCpuPercent = ((idleAfter.cpuSeconds - idle.cpuSeconds) / 3) * 100;
  console.log(`idle: RSS ${fmt(idleAfter.rssMiB, 1)} MiB, CPU ${fmt(idleCpuPercent, 1)} % (daemon connected, idle show running, no viewers)`);

  // A realistic queue: an animation running (it changes every LED at 50 fps for the live view)
  // and 20 programs waiting behind it.
  const animation = `import time\nn = getLEDCount()\nstep = 0\nwhile True:\n    setLEDs([[(step + i) % 256, 0, 0, 100] for i in range(n)])\n    step += 1\n    time.sleep(0.02)\n`;
  let cookie = "";
  for (let i = 0; i < 21; i++) {
    const response = await fetch(`${stack.url}/upload`, {
      method: "POST",
      headers: { "content-type": "application/json", "user-agent": `bench visitor ${i}` },
      body: JSON.stringify({ code: i === 0 ? animation : `import time\nx = ${i}\ntime.sleep(30)\n` }),
    });
    if (response.status !== 201) throw new Error(`upload ${i}: ${response.status} ${await response.text()}`);
    // The view is measured as one of the waiting visitors sees it: ownership follows that browser's cookie.
    if (i === 3) cookie = response.headers.getSetCookie()[0]!.split(";")[0]!;
  }
  const sample = await (await fetch(`${stack.url}/api/queue`, { headers: { cookie } })).arrayBuffer();

  const baseline = Bun.serve({ port: 0, hostname: "127.0.0.1", fetch: () => new Response(sample, { headers: { "content-type": "application/json" } }) });
  // Alternating rounds, best of each: the machine is shared, so one round of each would mostly measure the neighbours.
  let ours = 0;
  let bare = 0;
  for (let round = 0; round < queueRounds; round++) {
    ours = Math.max(ours, await hammer(`${stack.url}/api/queue`, queueClients, queueSeconds, { cookie }));
    bare = Math.max(bare, await hammer(`http://127.0.0.1:${baseline.port}/`, queueClients, queueSeconds));
  }
  baseline.stop(true);
  console.log(
    `GET /api/queue, ${queueClients} concurrent clients (best of ${queueRounds} alternating rounds), ${sample.byteLength} B view with 20 waiting: ${fmt(ours)} req/s; ` +
      `bare Bun.serve with the same bytes: ${fmt(bare)} req/s; ratio ${fmt(ours / bare, 2)}`,
  );

  // The live view: 200 viewers on the same appliance while a program animates.
  let received = 0;
  let bytes = 0;
  const sockets = await Promise.all(
    Array.from({ length: viewers }, () =>
      new Promise<WebSocket>((resolve, reject) => {
        const socket = new WebSocket(`${stack.url.replace("http", "ws")}/api/live`);
        socket.binaryType = "arraybuffer";
        socket.onmessage = (event) => {
          if (event.data instanceof ArrayBuffer) {
            received++;
            bytes += event.data.byteLength;
          }
        };
        socket.onopen = () => resolve(socket);
        socket.onerror = () => reject(new Error("WebSocket failed"));
      }),
    ),
  );
  await Bun.sleep(500);
  received = 0;
  bytes = 0;
  const before = processStats(pid);
  await Bun.sleep(liveSeconds * 1000);
  const after = processStats(pid);
  const perViewerFps = received / viewers / liveSeconds;
  const liveCpuPercent = ((after.cpuSeconds - before.cpuSeconds) / liveSeconds) * 100;
  console.log(
    `live view, ${viewers} WebSocket viewers, 300 LEDs: ${fmt(perViewerFps, 1)} frames/s per viewer ` +
      `(${fmt(bytes / liveSeconds / 1024)} KiB/s in all); app CPU ${fmt(liveCpuPercent, 1)} % vs ${fmt(idleCpuPercent, 1)} % idle; ` +
      `RSS ${fmt(after.rssMiB, 1)} MiB vs ${fmt(idleAfter.rssMiB, 1)} MiB idle (×${fmt(after.rssMiB / idleAfter.rssMiB, 2)})`,
  );
  for (const socket of sockets) socket.close();
} finally {
  await stack.stop();
}
