/**
 * `npm run bench`: runs every bench/*.bench.ts in its own process, one after
 * another (two cores: benchmarks side by side would measure each other).
 * Each prints its own figures; ratios are measured within one file's run.
 */
import { readdirSync } from "node:fs";
import { join } from "node:path";

const here = import.meta.dir;
const only = process.argv.slice(2);
const files = readdirSync(here)
  .filter((name) => name.endsWith(".bench.ts"))
  .filter((name) => only.length === 0 || only.some((word) => name.includes(word)))
  .sort();

let failed = 0;
for (const file of files) {
  console.log(`\n=== ${file} ===`);
  const child = Bun.spawnSync(["bun", join(here, file)], { stdio: ["ignore", "inherit", "inherit"] });
  if (child.exitCode !== 0) {
    failed++;
    console.log(`${file} exited with code ${child.exitCode}`);
  }
}
process.exit(failed === 0 ? 0 : 1);
