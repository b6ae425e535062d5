/**
 * `npm run build`: the two binaries for linux-x64 and linux-arm64, plus the
 * ws281x driver's shared library for each, in dist/:
 *
 *   tree-app-linux-{x64,arm64}  tree-gpio-linux-{x64,arm64}  libtreews281x-linux-{x64,arm64}.so
 *
 * Usage: bun scripts/build.ts [--target x64|arm64]... [--only tree-app|tree-gpio]... [--outdir DIR] [--skip-frontend]
 *
 * The Bun runtime is pinned: this must run under the Bun version package.json
 * names, and the runtime embedded for another architecture is that same
 * version, taken from the npm package @oven/bun-linux-<arch> whose integrity
 * package-lock.json records (fetched once with `npm pack`, then cached), and
 * handed to `bun build --compile-executable-path` so the compile never
 * downloads anything itself.
 */
import { createHash } from "node:crypto";
import { chmodSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, statSync } from "node:fs";
import { homedir, tmpdir } from "node:os";
import { join, relative, resolve } from "node:path";
import { buildWs281xLibrary, libraryFileNameFor, type LibraryArch } from "../gpio-daemon/native/build-library.ts";

const root = resolve(import.meta.dir, "..");
const targets: readonly LibraryArch[] = ["x64", "arm64"];
/** npm's name for each architecture's Bun runtime package. */
const runtimePackages: Record<LibraryArch, string> = { x64: "@oven/bun-linux-x64", arm64: "@oven/bun-linux-aarch64" };
/**
 * `embed`: globs of files passed as extra entry points, which `bun build
 * --compile` embeds as files (Bun.embeddedFiles). The sandbox harness, the
 * upload checker and the idle show are Python handed to python3 at run time.
 */
const binaries = [
  { name: "tree-app", entry: "appliance/src/main.ts", embed: ["appliance/src/**/*.py"] },
  { name: "tree-gpio", entry: "gpio-daemon/src/main.ts", embed: [] },
] as const;

function embeddedFiles(globs: readonly string[]): string[] {
  return globs.flatMap((pattern) => [...new Bun.Glob(pattern).scanSync({ cwd: root, absolute: true })]).sort();
}

class BuildError extends Error {}

type BinaryName = (typeof binaries)[number]["name"];

interface Options {
  targets: LibraryArch[];
  only: BinaryName[];
  outDir: string;
  skipFrontend: boolean;
}

function parseArgs(args: string[]): Options {
  const options: Options = { targets: [], only: [], outDir: join(root, "dist"), skipFrontend: false };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    const [flag, inline] = arg.includes("=") ? [arg.slice(0, arg.indexOf("=")), arg.slice(arg.indexOf("=") + 1)] : [arg, undefined];
    const value = () => inline ?? args[++i] ?? "";
    if (flag === "--target") {
      for (const target of value().split(",")) {
        if (!(targets as readonly string[]).includes(target)) throw new BuildError(`--target: expected one of ${targets.join(", ")}, got "${target}"`);
        if (!options.targets.includes(target as LibraryArch)) options.targets.push(target as LibraryArch);
      }
    } else if (flag === "--only") {
      const names = binaries.map((b) => b.name as string);
      for (const name of value().split(",")) {
        if (!names.includes(name)) throw new BuildError(`--only: expected one of ${names.join(", ")}, got "${name}"`);
        options.only.push(name as BinaryName);
      }
    } else if (flag === "--outdir") options.outDir = resolve(value());
    else if (flag === "--skip-frontend") options.skipFrontend = true;
    else if (flag === "--help" || flag === "-h") {
      console.log("usage: bun scripts/build.ts [--target x64|arm64]... [--only tree-app|tree-gpio]... [--outdir DIR] [--skip-frontend]");
      process.exit(0);
    } else throw new BuildError(`unknown option ${arg} (see --help)`);
  }
  if (options.targets.length === 0) options.targets = [...targets];
  return options;
}

/** The Bun version package.json pins; the build refuses to run under another. */
function pinnedBunVersion(): string {
  const pkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as { devDependencies?: Record<string, string> };
  const pinned = pkg.devDependencies?.bun;
  if (pinned === undefined || !/^\d+\.\d+\.\d+$/.test(pinned)) throw new BuildError(`package.json must pin an exact "bun" version in devDependencies, found ${pinned}`);
  if (Bun.version !== pinned) {
    throw new BuildError(`this is Bun ${Bun.version} but package.json pins ${pinned}: run the build with node_modules/.bin/bun (npm run build)`);
  }
  return pinned;
}

/** package-lock.json's record of a runtime package: the only integrity we accept. */
function lockedPackage(name: string, version: string): { integrity: string } {
  const lock = JSON.parse(readFileSync(join(root, "package-lock.json"), "utf8")) as { packages?: Record<string, { version?: string; integrity?: string }> };
  const entry = lock.packages?.[`node_modules/${name}`];
  if (entry?.version !== version || entry.integrity === undefined) {
    throw new BuildError(`package-lock.json has no ${name}@${version} with an integrity hash (it comes with the "bun" package's optional dependencies; run npm install)`);
  }
  return { integrity: entry.integrity };
}

function sriOf(file: string): string {
  return `sha512-${createHash("sha512").update(readFileSync(file)).digest("base64")}`;
}

/** Caches shared by clones on one machine (CI builds a clean clone each time). */
function runtimeCacheDirs(): string[] {
  const xdg = process.env.XDG_CACHE_HOME || join(homedir(), ".cache");
  return [join(root, ".cache", "bun-runtimes"), join(xdg, "tree-appliance", "bun-runtimes")];
}

function run(command: string[], what: string, cwd = root): string {
  const result = Bun.spawnSync(command, { cwd, stdout: "pipe", stderr: "pipe" });
  if (result.exitCode !== 0) throw new BuildError(`${what} failed (exit ${result.exitCode}): ${command.join(" ")}\n${result.stderr.toString()}`);
  return result.stdout.toString();
}

/**
 * A Bun executable of the pinned version for `arch`. The running Bun when the
 * architecture matches; otherwise the npm package, checked against the lock.
 */
function bunRuntime(arch: LibraryArch, version: string): string {
  if (arch === process.arch) return process.execPath;
  const name = runtimePackages[arch];
  const [localCache, sharedCache] = runtimeCacheDirs() as [string, string];
  const fileName = `${name.replace("@oven/", "")}-${version}`;
  for (const dir of [localCache, sharedCache]) {
    const path = join(dir, fileName, "bun");
    if (existsSync(path)) return path;
  }
  const { integrity } = lockedPackage(name, version);
  const work = mkdtempSync(join(tmpdir(), "bun-runtime-"));
  try {
    console.log(`build: fetching ${name}@${version} with npm pack (once; cached in ${relative(root, localCache)} and ${sharedCache})`);
    run(["npm", "pack", `${name}@${version}`, "--prefer-offline", "--silent", "--pack-destination", work], `npm pack ${name}`, work);
    const tarball = join(work, `${name.replace("@", "").replace("/", "-")}-${version}.tgz`);
    if (!existsSync(tarball)) throw new BuildError(`npm pack did not produce ${tarball}`);
    const actual = sriOf(tarball);
    if (actual !== integrity) throw new BuildError(`${name}@${version}: integrity ${actual} does not match package-lock.json's ${integrity}`);
    run(["tar", "-xzf", tarball, "-C", work, "package/bin/bun"], "unpacking the runtime");
    const unpacked = join(work, "package", "bin", "bun");
    chmodSync(unpacked, 0o755);
    for (const dir of [sharedCache, localCache]) {
      try {
        mkdirSync(join(dir, fileName), { recursive: true });
        const temporary = join(dir, fileName, `bun.${process.pid}`);
        copyFileSync(unpacked, temporary);
        chmodSync(temporary, 0o755);
        renameSync(temporary, join(dir, fileName, "bun"));
      } catch (error) {
        console.warn(`build: cannot cache the runtime in ${dir}: ${(error as Error).message}`);
      }
    }
    return join(localCache, fileName, "bun");
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/** The frontend's bundle, if its build module exists: tree-app embeds it. */
async function buildFrontendIfPresent(outDir: string): Promise<void> {
  const path = join(root, "frontend", "build.ts");
  if (!existsSync(path)) {
    console.log("build: frontend/build.ts not found; tree-app is built without a prebuilt frontend");
    return;
  }
  const module = (await import(path)) as { buildFrontend?: (outDir: string) => unknown };
  if (typeof module.buildFrontend !== "function") throw new BuildError(`${relative(root, path)} does not export buildFrontend(outDir)`);
  console.log("build: frontend");
  await module.buildFrontend(join(outDir, "frontend"));
}

function compile(entry: string, embed: string[], outFile: string, arch: LibraryArch, runtime: string): void {
  run(
    [
      process.execPath, "build", "--compile", "--minify",
      `--target=bun-linux-${arch}`,
      `--compile-executable-path=${runtime}`,
      join(root, entry),
      ...embed,
      "--outfile", outFile,
    ],
    `compiling ${entry} for ${arch}`,
  );
}

function size(path: string): string {
  const bytes = statSync(path).size;
  return bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1)} MiB` : `${(bytes / 1024).toFixed(1)} KiB`;
}

async function main(args: string[]): Promise<number> {
  const options = parseArgs(args);
  const version = pinnedBunVersion();
  mkdirSync(options.outDir, { recursive: true });
  const selected = binaries.filter((b) => options.only.length === 0 || options.only.includes(b.name));
  if (!options.skipFrontend && selected.some((b) => b.name === "tree-app")) await buildFrontendIfPresent(options.outDir);

  const built: string[] = [];
  for (const arch of options.targets) {
    if (selected.some((b) => b.name === "tree-gpio")) {
      // tree-gpio's ws281x driver loads it from beside the binary.
      const library = join(options.outDir, libraryFileNameFor(arch));
      buildWs281xLibrary(arch, library);
      built.push(library);
    }
    const runtime = bunRuntime(arch, version);
    for (const binary of selected) {
      const outFile = join(options.outDir, `${binary.name}-linux-${arch}`);
      console.log(`build: ${binary.name} for linux-${arch} (Bun ${version})`);
      compile(binary.entry, embeddedFiles(binary.embed), outFile, arch, runtime);
      built.push(outFile);
    }
  }
  console.log("");
  for (const path of built) console.log(`${size(path).padStart(10)}  ${relative(process.cwd(), path)}`);
  return 0;
}

if (import.meta.main) {
  try {
    process.exitCode = await main(process.argv.slice(2));
  } catch (error) {
    if (!(error instanceof BuildError) && !(error instanceof Error)) throw error;
    console.error(`build: ${error.message}`);
    process.exitCode = 1;
  }
}
