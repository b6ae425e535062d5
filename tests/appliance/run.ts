/**
 * `npm run test:appliance`: the whole appliance in an emulated Pi (see README.md here).
 *
 *   bun tests/appliance/run.ts [first-boot] [venue] [power-cut]     (default: all groups)
 *
 * Phases, each timed: arm64 emulation for the host (binfmt), the arm64 binaries, the
 * saved images, the arm64 root filesystem, the disk with the pi-gen stage applied
 * (the last three cached under /var/cache/tree-appliance-emu by a hash of their
 * inputs). Then the scenarios, each printed as `PASS <name>` or `FAIL <name>: why`,
 * and a last line `N passed, N failed`. Exit code 1 when any scenario failed.
 */
import { mkdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { Bench, seconds } from "./bench.ts";
import { ensureArm64Binfmt } from "./binfmt.ts";
import { cacheRoot } from "./cache.ts";
import { ensureDisk, type Disk } from "./disk.ts";
import { buildArm64Binaries, ensureImages } from "./images.ts";
import { ensureBaseRoot } from "./rootfs.ts";
import { firstBootGroup } from "./scenarios/first-boot.ts";
import { powerCutGroup } from "./scenarios/power-cut.ts";
import { venueGroup, venueScenarioNames } from "./scenarios/venue.ts";
import type { VmFiles } from "./vm.ts";

const groups = {
  "first-boot": ["first boot", "upload lights the strip", "sandbox on aarch64", "hotspot captive portal"],
  venue: venueScenarioNames,
  "power-cut": ["power cut"],
} as const;
type Group = keyof typeof groups;

const phaseTimes: [string, number][] = [];
const log = (line: string) => console.log(`  ${line}`);

async function phase<T>(name: string, body: () => Promise<T> | T): Promise<T> {
  console.log(`\n== ${name}`);
  const started = performance.now();
  try {
    return await body();
  } finally {
    phaseTimes.push([name, seconds(started)]);
    console.log(`== ${name}: ${seconds(started).toFixed(0)} s`);
  }
}

async function prepare(): Promise<Disk> {
  await phase("host: arm64 emulation (binfmt)", () => ensureArm64Binfmt(log));
  await phase("arm64 binaries (scripts/build.ts --target arm64)", () => buildArm64Binaries());
  // The two slow emulated builds run side by side (one per core): the root filesystem in
  // the background (its log under the cache's logs/), the images in the foreground.
  const rootStarted = performance.now();
  const baseBuild = ensureBaseRoot(log).finally(() => phaseTimes.push(["arm64 root filesystem (mmdebstrap + packages + kernel), beside the images", seconds(rootStarted)]));
  baseBuild.catch(() => {});
  const images = await phase("arm64 images (docker build + save)", () => ensureImages(log));
  const base = await phase("waiting for the arm64 root filesystem", () => baseBuild);
  return await phase("disk (pi-gen stage applied, ext4 image)", () => ensureDisk(base, images, log));
}

async function main(args: string[]): Promise<number> {
  const unknown = args.filter((arg) => !(arg in groups));
  if (unknown.length > 0) {
    console.error(`unknown group ${unknown.join(", ")} (known: ${Object.keys(groups).join(", ")})`);
    return 2;
  }
  const chosen = (args.length > 0 ? args : Object.keys(groups)) as Group[];
  const started = performance.now();
  let disk: Disk | undefined;
  let why = "";
  try {
    disk = await prepare();
  } catch (error) {
    why = (error as Error).message;
    console.log(`preparation failed: ${why}`);
  }
  const workDir = join(cacheRoot, "runs", `run-${process.pid}`);
  mkdirSync(workDir, { recursive: true });
  const bench = new Bench(disk as Disk, workDir);
  if (disk === undefined) {
    for (const group of chosen) for (const name of groups[group]) bench.skipped(name, `the emulated Pi could not be prepared: ${why.split("\n")[0]}`);
  } else {
    // One emulated Pi at a time: two TCG guests on two cores took over three times as long
    // each (measured: a first boot 10+ min instead of 3.5), so side by side saves nothing.
    let booted: VmFiles | undefined;
    if (chosen.includes("first-boot")) booted = await phase("scenarios: first boot group", () => firstBootGroup(bench));
    if (chosen.includes("venue")) await phase("scenarios: venue Wi-Fi", () => venueGroup(bench, booted));
    if (chosen.includes("power-cut")) await phase("scenarios: power cut", () => powerCutGroup(bench));
  }
  const passed = bench.results.filter((result) => result.ok).length;
  const failed = bench.results.length - passed;
  console.log("\nphase times:");
  for (const [name, time] of phaseTimes) console.log(`  ${time.toFixed(0).padStart(6)} s  ${name}`);
  console.log(`  ${seconds(started).toFixed(0).padStart(6)} s  total`);
  console.log("\nresults:");
  for (const result of bench.results) console.log(result.ok ? `PASS ${result.name}` : `FAIL ${result.name}: ${result.why}`);
  console.log(`${passed} passed, ${failed} failed`);
  // The run's disks are large overlays; the logs are kept only when something failed.
  if (failed === 0) rmSync(workDir, { recursive: true, force: true });
  else console.log(`logs of this run (serial consoles, QEMU): ${workDir}`);
  return failed === 0 && passed > 0 ? 0 : 1;
}

process.exitCode = await main(process.argv.slice(2));
