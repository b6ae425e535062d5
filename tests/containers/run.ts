/**
 * npm run test:containers: the appliance's container smoke test and the image checks.
 *
 *   bun tests/containers/run.ts [static] [image] [stack]     (default: all three)
 *
 * static  the seccomp profile matches its source; compose files are valid for every
 *         compose found; stage and helper scripts are shellcheck-clean; systemd units
 *         and the boot-config reader behave (no Docker needed)
 * image   runs the pi-gen stage's steps against a debootstrapped Debian root filesystem
 *         and checks that files, units and settings land where the Pi expects them
 * stack   starts a Docker engine if none runs, builds the base image locally when no
 *         registry is reachable, builds both images, runs compose up, uploads a program
 *         over HTTP, checks its frames reach the simulated strip, checks the app
 *         container's confinement and the sandbox inside it, checks a hung daemon is
 *         restarted, and tears everything down
 *
 * Prints every command it runs; ends with "N passed, N failed".
 */
import { imageChecks } from "./image-stage.ts";
import { stackChecks } from "./stack-checks.ts";
import { staticChecks } from "./static-checks.ts";
import type { Check } from "./stack.ts";

const sections = { static: staticChecks, image: imageChecks, stack: stackChecks } as const;
type Section = keyof typeof sections;

const asked = process.argv.slice(2);
const unknown = asked.filter((name) => !(name in sections));
if (unknown.length > 0) {
  console.error(`unknown section ${unknown.join(", ")} (known: ${Object.keys(sections).join(", ")})`);
  process.exit(2);
}
const chosen = (asked.length > 0 ? asked : Object.keys(sections)) as Section[];

let passed = 0;
let failed = 0;
const failures: string[] = [];
const started = Date.now();

const check: Check = async (name, body) => {
  const t0 = Date.now();
  console.log(`\n▶ ${name}`);
  try {
    await body();
    passed++;
    console.log(`✔ ${name} (${((Date.now() - t0) / 1000).toFixed(1)} s)`);
  } catch (error) {
    failed++;
    failures.push(name);
    console.log(`✘ ${name}\n${(error as Error).message.replace(/^/gm, "    ")}`);
  }
};

for (const section of chosen) {
  console.log(`\n=== ${section} ===`);
  try {
    await sections[section](check);
  } catch (error) {
    // A section stops at a failed prerequisite (no engine, no images); that counts once.
    failed++;
    failures.push(`${section}: ${(error as Error).message.split("\n")[0]}`);
    console.log(`✘ ${section} stopped: ${(error as Error).message.replace(/\n/g, "\n    ")}`);
  }
}

console.log(`\ncontainer tests took ${Math.round((Date.now() - started) / 1000)} s`);
if (failures.length > 0) console.log(`failed:\n${failures.map((name) => `  - ${name}`).join("\n")}`);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 && passed > 0 ? 0 : 1);
