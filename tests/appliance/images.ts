/**
 * The arm64 `tree-app` and `tree-gpio` images, saved with `docker save` as the Pi's
 * image ships them: the arm64 binaries from `scripts/build.ts --target arm64`, built
 * into images by the repository's own Dockerfiles (`--platform linux/arm64`, the
 * TREE_BINARIES=dist path image/build.sh uses) on a private engine, FROM a
 * `debian:bookworm-slim` made locally from Debian's arm64 packages (no image registry
 * is reachable). The tarballs are cached by a hash of the binaries and Dockerfiles.
 */
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { debianMirror } from "../containers/base-image.ts";
import { must } from "../containers/shell.ts";
import { cached, inputsHash, undocumented } from "./cache.ts";
import { repoRoot } from "./paths.ts";
import { startPrivateDocker } from "./private-docker.ts";

const binaries = ["dist/tree-app-linux-arm64", "dist/tree-gpio-linux-arm64", "dist/libtreews281x-linux-arm64.so"];
export const imageNames = ["tree-app", "tree-gpio"] as const;

/** `npm run build -- --target arm64`: the binaries the images take from dist/. */
export function buildArm64Binaries(): void {
  must([process.execPath, "scripts/build.ts", "--target", "arm64"], { cwd: repoRoot, stream: true, timeoutMs: 20 * 60_000 });
  for (const file of binaries) if (!existsSync(join(repoRoot, file))) throw new Error(`the arm64 build left no ${file}`);
}

/** An arm64 Debian minbase root as a tarball, the stand-in for `debian:bookworm-slim` (which also leaves out documentation). */
async function baseTarball(log: (line: string) => void): Promise<string> {
  const dir = await cached("base-image", inputsHash(["v2-mmdebstrap", "bookworm", "minbase", "arm64"]), (out) => {
    must(["mmdebstrap", "--arch=arm64", "--variant=minbase", "--skip=check/qemu", "--dpkgopt=force-unsafe-io", ...undocumented,
      "bookworm", join(out, "rootfs.tar"), debianMirror()], { stream: true, timeoutMs: 30 * 60_000 });
  }, log);
  return join(dir, "rootfs.tar");
}

/**
 * A `docker load` archive of one layer (the root filesystem tarball) whose config says
 * linux/arm64. `docker import --platform` would be simpler, but Docker 20.10 records the
 * engine's own architecture there, and its builder then refuses every step after FROM.
 */
function arm64ImageArchive(rootfsTar: string, dir: string): string {
  mkdirSync(join(dir, "layer"), { recursive: true });
  must(["cp", rootfsTar, join(dir, "layer", "layer.tar")], { quiet: true });
  const layerDigest = createHash("sha256").update(readFileSync(join(dir, "layer", "layer.tar"))).digest("hex");
  const config = JSON.stringify({
    architecture: "arm64", os: "linux", created: "2026-01-01T00:00:00Z",
    config: { Cmd: ["bash"], Env: ["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"] },
    rootfs: { type: "layers", diff_ids: [`sha256:${layerDigest}`] },
    history: [{ created: "2026-01-01T00:00:00Z", created_by: "mmdebstrap --variant=minbase bookworm (tests/appliance/images.ts)" }],
  });
  const configName = `${createHash("sha256").update(config).digest("hex")}.json`;
  writeFileSync(join(dir, configName), config);
  writeFileSync(join(dir, "manifest.json"), JSON.stringify([{ Config: configName, RepoTags: ["debian:bookworm-slim"], Layers: ["layer/layer.tar"] }]));
  const archive = `${dir}.tar`;
  must(["tar", "-C", dir, "-cf", archive, "manifest.json", configName, "layer/layer.tar"], { quiet: true });
  rmSync(dir, { recursive: true, force: true });
  return archive;
}

/** Returns the directory holding tree-app.tar and tree-gpio.tar (arm64). */
export async function ensureImages(log: (line: string) => void): Promise<string> {
  const key = inputsHash(["v1", ...binaries.map((path) => ({ path: join(repoRoot, path) })),
    { path: join(repoRoot, "Dockerfile.app") }, { path: join(repoRoot, "Dockerfile.gpio") }, { path: join(repoRoot, "docker") }]);
  return await cached("images", key, async (out) => {
    const base = await baseTarball(log);
    const docker = await startPrivateDocker(log);
    try {
      docker.must(["load", "--input", arm64ImageArchive(base, join(out, "base"))]);
      const baseArch = docker.must(["image", "inspect", "--format", "{{.Os}}/{{.Architecture}}", "debian:bookworm-slim"], { quiet: true }).stdout.trim();
      if (baseArch !== "linux/arm64") throw new Error(`the local debian:bookworm-slim is ${baseArch}, not linux/arm64`);
      for (const name of imageNames) {
        const dockerfile = name === "tree-app" ? "Dockerfile.app" : "Dockerfile.gpio";
        docker.must(["build", "--platform", "linux/arm64", "--network", "host", "--build-arg", "TREE_BINARIES=dist",
          "--file", dockerfile, "--tag", `${name}:latest`, "."], { cwd: repoRoot, stream: true, timeoutMs: 30 * 60_000 });
        const arch = docker.must(["image", "inspect", "--format", "{{.Architecture}}", `${name}:latest`], { quiet: true }).stdout.trim();
        if (arch !== "arm64") throw new Error(`${name}:latest was built for ${arch}, not arm64`);
        docker.must(["save", "--output", join(out, `${name}.tar`), `${name}:latest`]);
      }
      // The tagged images and their build steps stay as the next build's cache (a changed
      // binary then costs one COPY); what an earlier build left untagged is dropped.
      docker.run(["image", "prune", "--force"], { quiet: true });
    } finally {
      await docker.stop();
    }
    rmSync(join(out, "base.tar"), { force: true });
  }, log);
}
