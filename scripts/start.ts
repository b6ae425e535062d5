/**
 * `npm start`: the whole appliance on this machine, on the simulated strip.
 * Starts tree-gpio (simulator) and tree-app (serve) from source with an embedded
 * default configuration, stops both when either stops or on Ctrl-C.
 * Override with env: TREE_PORT (8080), TREE_LED_COUNT (100), TREE_DATA_DIR (./data).
 */
import { existsSync, mkdirSync } from "node:fs";
import { join, resolve } from "node:path";
import type { Subprocess } from "bun";

const root = resolve(import.meta.dir, "..");
const dataDir = resolve(process.env.TREE_DATA_DIR ?? join(root, "data"));
const port = process.env.TREE_PORT ?? "8080";
const ledCount = process.env.TREE_LED_COUNT ?? "100";
const socketPath = join(dataDir, "gpio.sock");
mkdirSync(dataDir, { recursive: true });

function start(name: string, args: string[]): Subprocess {
  const child = Bun.spawn(["bun", ...args], { cwd: root, stdio: ["ignore", "inherit", "inherit"] });
  child.exited.then((code) => {
    console.error(`[start] ${name} exited with code ${code}`);
    stopAll(code === 0 ? 0 : 1);
  });
  return child;
}

const children: Subprocess[] = [];
let stopping = false;
function stopAll(code: number) {
  if (stopping) return;
  stopping = true;
  for (const child of children) child.kill("SIGTERM");
  Promise.all(children.map((child) => child.exited)).then(() => process.exit(code));
}
process.on("SIGINT", () => stopAll(0));
process.on("SIGTERM", () => stopAll(0));

children.push(start("tree-gpio", ["gpio-daemon/src/main.ts", "--socket", socketPath, "--led-count", ledCount, "--driver", "simulator", "--draw", "never"]));
// Give the daemon a moment to bind, so the app learns the LED count at once.
for (let i = 0; i < 50 && !existsSync(socketPath); i++) await Bun.sleep(100);
children.push(start("tree-app", ["appliance/src/main.ts", "serve", "--port", port, "--data-dir", dataDir, "--gpio-socket", socketPath]));
console.error(`[start] the editor: http://localhost:${port}/editor   (Ctrl-C stops both)`);
