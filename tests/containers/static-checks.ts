/**
 * The `static` section (see run.ts): checks that need no Docker engine. Values written
 * in two places (env names, ports, limits) are compared here, so they cannot drift.
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { maxLedCount } from "../../protocol/limits.ts";
import { envName as appEnvName, ConfigSchema as AppConfigSchema } from "../../appliance/src/config.ts";
import { envName as gpioEnvName, ConfigSchema as GpioConfigSchema } from "../../gpio-daemon/src/config.ts";
import { profileJson } from "../../docker/seccomp/app-profile.ts";
import { profilePath } from "../../docker/seccomp/write-profile.ts";
import { allComposeClis } from "./compose-cli.ts";
import { aptInstall, has, must, run } from "./shell.ts";
import { type Check, repoRoot } from "./stack.ts";

function expect(condition: boolean, message: string): void {
  if (!condition) throw new Error(message);
}

const text = (path: string) => readFileSync(join(repoRoot, path), "utf8");

/** Names of TREE_APP_* / TREE_GPIO_* variables set in a file. */
function envNamesIn(path: string, prefix: string): string[] {
  return [...new Set([...text(path).matchAll(new RegExp(`\\b(${prefix}[A-Z0-9_]+)(?==|:)`, "g"))].map((match) => match[1]!))];
}

/** Every shell script of the image and the containers: *.sh under image/ and docker/. */
export function shellScripts(): string[] {
  return ["image", "docker"].flatMap((dir) =>
    (readdirSync(join(repoRoot, dir), { recursive: true }) as string[]).filter((path) => path.endsWith(".sh")).map((path) => join(dir, path)),
  ).sort();
}

export async function staticChecks(check: Check): Promise<void> {
  await check("docker/seccomp/app.json is what app-profile.ts generates", () => {
    expect(readFileSync(profilePath, "utf8") === profileJson(), "app.json is stale: run `bun docker/seccomp/write-profile.ts`");
    const names = JSON.parse(profileJson()).syscalls.flatMap((group: { names: string[]; action: string }) => (group.action === "SCMP_ACT_ALLOW" ? group.names : []));
    for (const needed of ["clone", "unshare", "mount", "umount2", "pivot_root"]) expect(names.includes(needed), `bwrap needs ${needed}`);
    for (const denied of ["bpf", "keyctl", "io_uring_setup", "ptrace", "perf_event_open", "open_by_handle_at"]) expect(!names.includes(denied), `${denied} is allowed`);
  });

  await check("the compose files are valid for every compose found (v1 and/or v2)", () => {
    const clis = allComposeClis();
    if (clis.length === 0) aptInstall(["docker-compose"]);
    for (const cli of clis.length > 0 ? clis : allComposeClis()) {
      for (const extra of [[], ["docker/compose.spi.yml"], ["docker/compose.pwm.yml"], ["tests/containers/compose.test.yml"]]) {
        const files = ["compose.yml", ...extra].flatMap((file) => ["-f", file]);
        must([...cli.command, ...files, "config", "--quiet"], { cwd: repoRoot, env: { TREE_SPI_GID: "999" } });
      }
    }
  });

  await check("every TREE_APP_*/TREE_GPIO_* variable the containers set is a real setting", () => {
    const appKnown = new Set(Object.keys(AppConfigSchema.properties).map(appEnvName));
    const gpioKnown = new Set((Object.keys(GpioConfigSchema.properties) as Parameters<typeof gpioEnvName>[0][]).map(gpioEnvName));
    for (const file of ["compose.yml", "Dockerfile.app", "tests/containers/compose.test.yml"]) {
      for (const name of envNamesIn(file, "TREE_APP_")) expect(appKnown.has(name), `${file} sets ${name}, which tree-app does not read`);
    }
    for (const file of ["compose.yml", "Dockerfile.gpio"]) {
      for (const name of envNamesIn(file, "TREE_GPIO_")) expect(gpioKnown.has(name), `${file} sets ${name}, which tree-gpio rejects`);
    }
  });

  await check("ports, paths and limits agree across Dockerfiles, compose.yml, tree-host and protocol/", () => {
    expect(/TREE_APP_PORT=8080/.test(text("Dockerfile.app")) && /:8080"/.test(text("compose.yml")), "the app's port differs between Dockerfile.app and compose.yml");
    expect(text("Dockerfile.app").includes('"http", "8080", "/api/health"'), "the app's health check probes another port");
    const socket = "/run/tree/gpio.sock";
    expect(text("Dockerfile.app").includes(`TREE_APP_GPIO_SOCKET=${socket}`) && text("Dockerfile.gpio").includes(`TREE_GPIO_SOCKET=${socket}`), "the two images disagree on the socket");
    expect(text("systemd/tree-host.py").includes(`MAX_LED_COUNT = ${maxLedCount}`), `tree-host's LED limit is not protocol/limits.ts maxLedCount (${maxLedCount})`);
  });

  await check("both Dockerfiles build from the sources by default, in one shared build stage", () => {
    // The build stage up to its last step, with the binary's name taken out: identical in
    // both files, so the second image reuses the first's toolchain and npm ci layers.
    const buildStage = (file: string, name: string) => {
      const stage = /^FROM debian:bookworm-slim AS build\n[\s\S]*?\nRUN build-binaries\.sh binaries (\S+)\n/m.exec(text(file));
      expect(stage !== null, `${file} has no build stage ending in "RUN build-binaries.sh binaries NAME"`);
      expect(stage![1] === name, `${file}'s build stage builds ${stage![1]}, not ${name}`);
      return stage![0].replace(name, "NAME");
    };
    const app = buildStage("Dockerfile.app", "tree-app");
    expect(app === buildStage("Dockerfile.gpio", "tree-gpio"), "the build stages of Dockerfile.app and Dockerfile.gpio differ");
    expect(app.includes("ARG TREE_BINARIES=source\n"), "the build stage does not default to building from the sources");
    const compose = text("compose.yml");
    expect((compose.match(/TREE_BINARIES: "\$\{TREE_BINARIES:-source\}"/g) ?? []).length === 2, "compose.yml does not pass TREE_BINARIES (default source) to both builds");
  });

  await check("compose.yml takes its memory limits, data directory and host status directory from what tree-host writes", () => {
    const compose = text("compose.yml");
    const host = text("systemd/tree-host.py");
    for (const [name, fallback] of [["TREE_MEMORY_LIMIT_APP", "768m"], ["TREE_MEMORY_LIMIT_GPIO", "256m"], ["TREE_DATA_DIR", "tree-data"], ["TREE_HOST_STATUS_DIR", "tree-host-status"]] as const) {
      expect(compose.includes(`\${${name}:-${fallback}}`), `compose.yml does not read ${name} (default ${fallback})`);
      expect(host.includes(`"${name}":`), `tree-host does not write ${name} into compose.env`);
    }
    expect(compose.includes(":/run/tree-host:ro"), "the host status directory is not mounted read-only at /run/tree-host");
    expect(/^  tree-host-status:$/m.test(compose) && /^  tree-data:$/m.test(compose), "the stand-in volumes are not declared");
  });

  await check("image/check-initramfs.sh passes an image whose initramfs has the first-boot script, and fails one without", () => {
    const tools = { lsinitramfs: "initramfs-tools-core", mcopy: "mtools", "mkfs.vfat": "dosfstools", sfdisk: "fdisk", cpio: "cpio", xz: "xz-utils" };
    const missing = Object.entries(tools).filter(([tool]) => !has(tool)).map(([, pkg]) => pkg);
    if (missing.length > 0) aptInstall(missing);
    const dir = mkdtempSync(join(tmpdir(), "tree-initramfs-check-"));
    try {
      /** A card image: a DOS partition table, a FAT boot partition holding initramfs8 with the given files. */
      const cardWith = (name: string, files: string[]) => {
        const root = join(dir, `${name}-root`);
        for (const file of files) {
          mkdirSync(join(root, file, ".."), { recursive: true });
          writeFileSync(join(root, file), "#!/bin/sh\n");
        }
        mkdirSync(root, { recursive: true });
        must(["sh", "-c", 'cd "$0" && find . | cpio -o -H newc --quiet | gzip > "$1"', root, join(dir, `${name}-initramfs8`)]);
        const image = join(dir, `${name}.img`);
        const fat = join(dir, `${name}.fat`);
        must(["truncate", "-s", "24M", image]);
        must(["sfdisk", "-q", image], { input: "label: dos\nstart=2048, size=32768, type=c\nstart=36864, type=83\n" });
        must(["truncate", "-s", `${32768 * 512}`, fat]);
        must(["mkfs.vfat", fat], { quiet: true });
        must(["mcopy", "-i", fat, join(dir, `${name}-initramfs8`), "::/initramfs8"]);
        must(["dd", `if=${fat}`, `of=${image}`, "bs=512", "seek=2048", "conv=notrunc", "status=none"]);
        return image;
      };
      const script = join(repoRoot, "image", "check-initramfs.sh");
      const good = cardWith("good", ["scripts/local-premount/firstboot", "bin/parted"]);
      must([script, good]);
      must(["xz", "-k", "-T1", good]);
      must([script, `${good}.xz`]);
      const bad = run([script, cardWith("bad", ["scripts/local-premount/other"])]);
      expect(bad.status === 1 && bad.stderr.includes("lacks scripts/local-premount/firstboot"), `an initramfs without the first-boot script passed:\n${bad.stdout}${bad.stderr}`);
      const empty = join(dir, "rootfs");
      mkdirSync(join(empty, "boot", "firmware"), { recursive: true });
      const none = run([script, empty]);
      expect(none.status === 1 && none.stderr.includes("no initramfs"), `a root filesystem without any initramfs passed:\n${none.stderr}`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  await check("stage and helper scripts are shellcheck-clean; tree-probe and tree-host compile", () => {
    if (!has("shellcheck")) aptInstall(["shellcheck"]);
    const scripts = shellScripts();
    expect(scripts.length >= 7, `found only ${scripts.length} shell scripts`);
    must(["shellcheck", "--external-sources", ...scripts], { cwd: repoRoot });
    must(["perl", "-c", "docker/tree-probe"], { cwd: repoRoot });
    const compiled = run(["/usr/bin/python3", "-c", "import ast,sys; ast.parse(open(sys.argv[1]).read())", "systemd/tree-host.py"], { cwd: repoRoot });
    expect(compiled.status === 0, `tree-host.py: ${compiled.stderr}`);
  });
}
