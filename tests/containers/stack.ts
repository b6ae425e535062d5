/**
 * The running appliance, checked from outside: both images built from dist/ (the
 * images' TREE_BINARIES=dist path; compose's default builds from the sources), the
 * stack up under compose, a program uploaded over HTTP reaching the simulated strip,
 * the app container's confinement, the sandbox inside it, and the health checks
 * restarting a hung daemon.
 */
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { debianArch, ensureBaseImage } from "./base-image.ts";
import type { ComposeCli } from "./compose-cli.ts";
import { freePort, must, run, waitFor } from "./shell.ts";

export const repoRoot = join(import.meta.dir, "..", "..");
export const appImage = "tree-app:latest";
export const gpioImage = "tree-gpio:latest";
export const appContainer = "tree-app";
export const gpioContainer = "tree-gpio";
const projectName = "tree-smoke";
/** A short strip: the limiter never scales it, so the colour arrives exact. */
export const smokeLedCount = 12;
/** A colour no built-in show uses, so seeing it on the strip proves the upload got there. */
export const smokeColour = [12, 34, 56] as const;

export type Check = (name: string, body: () => void | Promise<void>) => Promise<void>;

function bunArch(): "x64" | "arm64" {
  const arch = debianArch();
  if (arch === "amd64") return "x64";
  if (arch === "arm64") return "arm64";
  throw new Error(`Bun has no build for ${arch}`);
}

/** Newest modification time of the sources the binaries are built from. */
function newestSourceMs(): number {
  let newest = 0;
  for (const dir of ["appliance", "gpio-daemon", "protocol", "frontend", "scripts"]) {
    const root = join(repoRoot, dir);
    if (!existsSync(root)) continue;
    for (const path of readdirSync(root, { recursive: true }) as string[]) {
      if (path.includes("node_modules")) continue;
      const stat = statSync(join(root, path));
      if (stat.isFile()) newest = Math.max(newest, stat.mtimeMs);
    }
  }
  return newest;
}

/** This machine's binaries in dist/, built (for this architecture only) when missing or older than the sources. */
export function ensureBinaries(): void {
  const arch = bunArch();
  const wanted = [`dist/tree-app-linux-${arch}`, `dist/tree-gpio-linux-${arch}`];
  const missing = wanted.filter((file) => !existsSync(join(repoRoot, file)));
  const oldestBinaryMs = Math.min(...wanted.filter((file) => !missing.includes(file)).map((file) => statSync(join(repoRoot, file)).mtimeMs));
  const stale = missing.length === 0 && newestSourceMs() > oldestBinaryMs;
  if (missing.length === 0 && !stale) {
    console.log(`  using ${wanted.join(", ")} (newer than every source file)`);
    return;
  }
  console.log(`  ${stale ? "sources changed since" : "missing"} ${stale ? wanted.join(", ") : missing.join(", ")}: building for ${arch} only`);
  must([process.execPath, "scripts/build.ts", "--target", arch], { cwd: repoRoot, stream: true, timeoutMs: 15 * 60_000 });
}

export function buildImages(): void {
  ensureBaseImage();
  for (const [dockerfile, tag] of [["Dockerfile.gpio", gpioImage], ["Dockerfile.app", appImage]] as const) {
    // TREE_BINARIES=dist: the binaries ensureBinaries() left in dist/, so the build stage
    // skips its toolchain, npm ci and compile (the same compile, already done on the host).
    must(["docker", "build", "--build-arg", "TREE_BINARIES=dist", "--file", dockerfile, "--tag", tag, "."], { cwd: repoRoot, stream: true, timeoutMs: 15 * 60_000 });
  }
  // Untagged leftovers of earlier builds (the build stages hold all of dist/, ~450 MB each):
  // dropped, so repeated runs do not fill the disk. Only images of these Dockerfiles.
  run(["docker", "image", "prune", "--force", "--filter", "label=org.tree.build-stage"]);
}

export class Stack {
  readonly files = ["-f", "compose.yml", "-f", "tests/containers/compose.test.yml"];
  private constructor(
    readonly compose: ComposeCli,
    readonly port: number,
  ) {}

  static async create(compose: ComposeCli): Promise<Stack> {
    return new Stack(compose, await freePort());
  }

  get env(): Record<string, string> {
    return { COMPOSE_PROJECT_NAME: projectName, TREE_HTTP_PORT: String(this.port), TREE_LED_COUNT: String(smokeLedCount) };
  }

  /** compose, run from the repository root (compose v1 resolves the seccomp path against it). */
  composeRun(args: readonly string[], stream = false) {
    return run([...this.compose.command, ...this.files, ...args], { cwd: repoRoot, env: this.env, stream });
  }

  up(): void {
    // container_name is fixed (operators read `docker logs tree-app`), so a stack of another
    // project would collide: name it rather than replace someone's running tree.
    for (const name of [appContainer, gpioContainer]) {
      const owner = run(["docker", "ps", "--all", "--filter", `name=^/${name}$`, "--format", '{{.Label "com.docker.compose.project"}}'], { quiet: true });
      const project = owner.stdout.trim();
      if (owner.status === 0 && owner.stdout !== "" && project !== projectName) {
        throw new Error(`a container named ${name} already exists (compose project "${project || "none"}"): stop it first, e.g. docker compose -p ${project || "<project>"} down`);
      }
    }
    const result = this.composeRun(["up", "-d", "--no-build"], true);
    if (result.status !== 0) throw new Error(`compose up exited ${result.status}`);
  }

  down(): void {
    this.composeRun(["down", "--volumes", "--remove-orphans", "--timeout", "5"], true);
  }

  logs(): void {
    this.composeRun(["logs", "--no-color", "--tail", "40"], true);
  }

  url(path: string): string {
    return `http://127.0.0.1:${this.port}${path}`;
  }
}

export function inspect(container: string, format: string): string {
  return must(["docker", "inspect", "--format", format, container], { quiet: true }).stdout.trim();
}

export async function waitHealthy(container: string, timeoutMs = 120_000): Promise<void> {
  await waitFor(`${container} to be healthy`, timeoutMs, () => {
    const state = inspect(container, "{{.State.Status}} {{if .State.Health}}{{.State.Health.Status}}{{end}}");
    if (state === "running healthy") return true;
    if (state.startsWith("exited") || state.startsWith("dead")) throw new Error(`${container} is ${state}`);
    return undefined;
  });
}

export function exec(container: string, command: readonly string[], input?: string) {
  return run(["docker", "exec", ...(input === undefined ? [] : ["-i"]), container, ...command], { input, quiet: false });
}

export interface Snapshot {
  ok: true;
  rgb: string;
  frames: number;
  milliamps: number;
  limited: boolean;
}

/** Asks the daemon what the strip shows, through its own socket, from inside its container. */
export function daemonSnapshot(): Snapshot {
  const result = run(["docker", "exec", gpioContainer, "/usr/local/bin/tree-probe", "socket", "/run/tree/gpio.sock", '{"type":"snapshot"}'], { quiet: true });
  if (result.status !== 0) throw new Error(`snapshot failed: ${result.stdout}${result.stderr}`.trim());
  return JSON.parse(result.stdout.trim().split("\n").at(-1)!) as Snapshot;
}

export function ledColours(snapshot: Snapshot): number[][] {
  const bytes = Buffer.from(snapshot.rgb, "base64");
  const leds: number[][] = [];
  for (let i = 0; i + 2 < bytes.length; i += 3) leds.push([bytes[i]!, bytes[i + 1]!, bytes[i + 2]!]);
  return leds;
}

/** A visitor's program that holds the smoke colour on every LED for about 20 s. */
export const smokeProgram = `import time
n = getLEDCount()
for step in range(200):
    setLEDs([[${smokeColour.join(", ")}, 100]] * n)
    time.sleep(0.1)
`;

export function withTempFile<T>(name: string, text: string, body: (path: string) => T): T {
  const dir = mkdtempSync(join(tmpdir(), "tree-containers-"));
  try {
    const path = join(dir, name);
    writeFileSync(path, text);
    return body(path);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
