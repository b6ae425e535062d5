/**
 * The arm64 `tree-app` and `tree-gpio` images, saved with `docker save` as the Pi's
 * image ships them: the arm64 binaries from `scripts/build.ts --target arm64`, built
 * into images by the repository's own Dockerfiles (`--platform linux/arm64`, the
 * TREE_BINARIES=dist path image/build.sh uses) on a private engine, FROM a
 * `debian:bookworm-slim` made locally from Debian's arm64 packages (no image registry
 * is reachable). The tarballs are cached by a hash of the binaries and Dockerfiles.
 */
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { debianMirror } from "../containers/base-image.ts";
import { must } from "../containers/shell.ts";
import { cached, inputsHash } from "./cache.ts";
import { repoRoot } from "./paths.ts";
import { startPrivateDocker } from "./private-docker.ts";

const binaries = ["dist/tree-app-linux-arm64", "dist/tree-gpio-linux-arm64", "dist/libtreews281x-linux-arm64.so"];
export const imageNames = ["tree-app", "tree-gpio"] as const;

/** `npm run build -- --target arm64`: the binaries the images take from dist/. */
export function buildArm64Binaries(): void {
  must([process.execPath, "scripts/build.ts", "--target", "arm64"], { cwd: repoRoot, stream: true, timeoutMs: 20 * 60_000 });
  for (const file of binaries) if (!existsSync(join(repoRoot, file))) throw new Error(`the arm64 build left no ${file}`);
}

/** An arm64 Debian minbase root as a tarball, the stand-in for `debian:bookworm-slim`. */
async function baseTarball(log: (line: string) => void): Promise<string> {
  const dir = await cached("base-image", inputsHash(["v1", "bookworm", "minbase", "arm64"]), (out) => {
    const root = join(out, "root");
    must(["debootstrap", "--arch=arm64", "--foreign", "--variant=minbase", "bookworm", root, debianMirror()], { stream: true, timeoutMs: 30 * 60_000 });
    must(["chroot", root, "/debootstrap/debootstrap", "--second-stage"], { stream: true, timeoutMs: 60 * 60_000 });
    writeFileSync(join(root, "etc/apt/sources.list"), `deb ${debianMirror()} bookworm main\n`);
    must(["sh", "-c", 'rm -rf "$0"/var/cache/apt/archives/*.deb "$0"/var/lib/apt/lists/*', root], { quiet: true });
    must(["tar", "--numeric-owner", "-C", root, "-cf", join(out, "rootfs.tar"), "."]);
    must(["rm", "-rf", root]);
  }, log);
  return join(dir, "rootfs.tar");
}

/** Returns the directory holding tree-app.tar and tree-gpio.tar (arm64). */
export async function ensureImages(log: (line: string) => void): Promise<string> {
  const key = inputsHash(["v1", ...binaries.map((path) => ({ path: join(repoRoot, path) })),
    { path: join(repoRoot, "Dockerfile.app") }, { path: join(repoRoot, "Dockerfile.gpio") }, { path: join(repoRoot, "docker") }]);
  return await cached("images", key, async (out) => {
    const base = await baseTarball(log);
    const docker = await startPrivateDocker(log);
    try {
      docker.must(["import", "--platform", "linux/arm64", "--change", 'CMD ["bash"]', base, "debian:bookworm-slim"]);
      for (const name of imageNames) {
        const dockerfile = name === "tree-app" ? "Dockerfile.app" : "Dockerfile.gpio";
        docker.must(["build", "--platform", "linux/arm64", "--network", "host", "--build-arg", "TREE_BINARIES=dist",
          "--file", dockerfile, "--tag", `${name}:latest`, "."], { cwd: repoRoot, stream: true, timeoutMs: 30 * 60_000 });
        const arch = docker.must(["image", "inspect", "--format", "{{.Architecture}}", `${name}:latest`], { quiet: true }).stdout.trim();
        if (arch !== "arm64") throw new Error(`${name}:latest was built for ${arch}, not arm64`);
        docker.must(["save", "--output", join(out, `${name}.tar`), `${name}:latest`]);
      }
      // Drop everything but the base, so the private engine's disk does not grow run after run.
      docker.run(["image", "rm", "--force", ...imageNames.map((name) => `${name}:latest`)], { quiet: true });
      docker.run(["image", "prune", "--force"], { quiet: true });
    } finally {
      await docker.stop();
    }
    mkdirSync(out, { recursive: true });
  }, log);
}
