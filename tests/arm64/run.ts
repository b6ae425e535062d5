/**
 * `npm run test:arm64`: the emulated-Pi smoke test (CI). Builds the arm64
 * binaries, then for each CPU model a 64-bit Pi has (Cortex-A53: Pi 3, Zero 2 W;
 * Cortex-A72: Pi 4, 400; Cortex-A76: Pi 5) runs them under qemu-aarch64-static:
 *   tree-gpio on the simulator: frames over its socket, snapshot, clean SIGTERM
 *   tree-gpio on the spi driver into a file: the bitstream decodes at WS2812 timing
 *   tree-gpio on the ws281x driver: libtreews281x loads via FFI, init says "not a Raspberry Pi"
 *   tree-app check: the upload verdict for a good and a forbidden program
 * `tree-app run` (the sandbox) is not exercised: the sysroot has no bubblewrap
 * or python3, so the children tree-app starts would be the host's x86 programs
 * (QEMU hands an execve of a foreign binary to the host kernel), which tests
 * nothing about arm64; and user-mode QEMU does not let a guest install seccomp
 * filters. `tree-app check` likewise runs the host's python3 for the parse.
 *
 * Usage: bun tests/arm64/run.ts [--dist DIR]   (DIR: prebuilt arm64 binaries; default: build now)
 */
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { appCheck, emulatorTrapsNewInstructions, gpioSimulator, gpioSpiToFile, gpioWs281xRefuses, type Builds, type CheckContext } from "./checks.ts";
import { cpus } from "./qemu.ts";
import { ensureSysroot } from "./sysroot.ts";

const root = resolve(import.meta.dir, "../..");
const log = (line: string) => console.log(line);
const seconds = (since: number) => `${((performance.now() - since) / 1000).toFixed(1)} s`;

function requireTools(): void {
  const missing = ["qemu-aarch64-static", "aarch64-linux-gnu-gcc"].filter((tool) => Bun.which(tool) === null);
  if (missing.length > 0) throw new Error(`${missing.join(", ")} not found: run node scripts/setup.mjs arm64`);
}

function buildArm64(outDir: string): Builds {
  const started = performance.now();
  log(`build: bun scripts/build.ts --target arm64 --outdir ${outDir}`);
  const result = Bun.spawnSync([process.execPath, join(root, "scripts/build.ts"), "--target", "arm64", "--outdir", outDir], {
    stdout: "inherit",
    stderr: "inherit",
  });
  if (result.exitCode !== 0) throw new Error(`the arm64 build failed (exit ${result.exitCode})`);
  log(`build: ${seconds(started)}`);
  return buildsIn(outDir);
}

/** A static arm64 program using one ARMv8.1 instruction (see canary.c). */
function buildCanary(outFile: string): string {
  const result = Bun.spawnSync(["aarch64-linux-gnu-gcc", "-march=armv8.1-a", "-static", "-O1", "-o", outFile, join(import.meta.dir, "canary.c")], {
    stdout: "pipe",
    stderr: "pipe",
  });
  if (result.exitCode !== 0) throw new Error(`cannot build the canary: ${result.stderr.toString()}`);
  return outFile;
}

function buildsIn(dir: string): Builds {
  const builds = { treeApp: join(dir, "tree-app-linux-arm64"), treeGpio: join(dir, "tree-gpio-linux-arm64") };
  for (const path of Object.values(builds)) if (!existsSync(path)) throw new Error(`${path} is missing`);
  return builds;
}

const checks = [
  ["tree-gpio simulator over the socket", gpioSimulator],
  ["tree-gpio spi driver into a file", gpioSpiToFile],
  ["tree-gpio ws281x init off a Pi", gpioWs281xRefuses],
  ["tree-app check", appCheck],
] as const;

async function main(args: string[]): Promise<number> {
  const started = performance.now();
  requireTools();
  const distFlag = args.indexOf("--dist");
  const work = mkdtempSync(join(tmpdir(), "tree-arm64-"));
  let failures = 0;
  try {
    const sysroot = ensureSysroot(log);
    const builds = distFlag >= 0 ? buildsIn(resolve(args[distFlag + 1] ?? "")) : buildArm64(join(work, "dist"));
    const canary = buildCanary(join(work, "canary"));
    for (const cpu of cpus) {
      const cpuChecks = [["emulator traps newer instructions", (ctx: CheckContext) => emulatorTrapsNewInstructions(ctx, canary)], ...checks] as const;
      for (const [name, check] of cpuChecks) {
        const dir = mkdtempSync(join(work, `${cpu}-`));
        const context: CheckContext = { emulator: { sysroot, cpu }, builds, dir };
        const checkStarted = performance.now();
        try {
          const summary = await check(context);
          log(`ok    ${cpu}  ${name}: ${summary} (${seconds(checkStarted)})`);
        } catch (error) {
          failures++;
          log(`FAIL  ${cpu}  ${name}: ${(error as Error).message}`);
        }
      }
    }
    log("note  tree-app run is not run here: no arm64 bubblewrap/python3 in the sysroot, and user-mode QEMU cannot emulate a guest's seccomp filter; check's python3 is the host's");
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  log(`${failures === 0 ? "PASS" : `FAILED (${failures})`}: arm64 smoke test in ${seconds(started)}`);
  return failures === 0 ? 0 : 1;
}

try {
  process.exitCode = await main(process.argv.slice(2));
} catch (error) {
  console.error(`arm64 smoke test: ${(error as Error).message}`);
  process.exitCode = 1;
}
