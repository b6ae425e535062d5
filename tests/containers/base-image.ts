/**
 * The Dockerfiles start `FROM debian:bookworm-slim`. Where no image registry is
 * reachable, this builds an image under that exact name from Debian's packages
 * (debootstrap --variant=minbase + docker import), so the Dockerfiles build unchanged.
 * The root filesystem tarball is cached: CI is a fresh clone on the same machine.
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync } from "node:fs";
import { join } from "node:path";
import { aptInstall, must, run } from "./shell.ts";

export const baseImage = "debian:bookworm-slim";
export const cacheDir = "/var/cache/tree-containers";
const suite = "bookworm";

export function debianArch(): string {
  return must(["dpkg", "--print-architecture"], { quiet: true }).stdout.trim();
}

/** The Debian mirror this machine's apt already uses (deb822 .sources or one-line lists). */
export function debianMirror(): string {
  const texts: string[] = [];
  if (existsSync("/etc/apt/sources.list")) texts.push(readFileSync("/etc/apt/sources.list", "utf8"));
  const dir = "/etc/apt/sources.list.d";
  if (existsSync(dir)) {
    for (const name of readdirSync(dir).filter((n) => n.endsWith(".list") || n.endsWith(".sources"))) {
      texts.push(readFileSync(join(dir, name), "utf8"));
    }
  }
  for (const text of texts) {
    for (const stanza of text.split(/\n\s*\n/)) {
      const uris = /^URIs:\s*(\S+)/m.exec(stanza)?.[1];
      const suites = /^Suites:\s*(.+)$/m.exec(stanza)?.[1]?.split(/\s+/) ?? [];
      if (uris && suites.includes(suite) && !/^\s*Enabled:\s*no/im.test(stanza)) return uris;
    }
    for (const line of text.split("\n")) {
      const match = /^deb\s+(?:\[[^\]]*\]\s+)?(\S+)\s+(\S+)/.exec(line.trim());
      if (match && match[2] === suite) return match[1]!;
    }
  }
  throw new Error(`no apt source for Debian ${suite} in /etc/apt: cannot debootstrap the base image`);
}

/** A minbase Debian bookworm root filesystem as a tarball, built once and cached. */
export function rootfsTarball(name: string, include: readonly string[] = []): string {
  const tarball = join(cacheDir, `${name}-${debianArch()}.tar`);
  if (existsSync(tarball)) {
    console.log(`  cached root filesystem ${tarball}`);
    return tarball;
  }
  if (!existsSync("/usr/sbin/debootstrap")) aptInstall(["debootstrap"]);
  mkdirSync(cacheDir, { recursive: true });
  const root = mkdtempSync(join(cacheDir, "rootfs-"));
  try {
    const includeArgs = include.length > 0 ? [`--include=${include.join(",")}`] : [];
    must(["/usr/sbin/debootstrap", "--variant=minbase", ...includeArgs, suite, root, debianMirror()], { stream: true });
    // What an image needs no copy of: downloaded packages and package lists.
    must(["sh", "-c", `rm -rf "${root}"/var/cache/apt/archives/*.deb "${root}"/var/lib/apt/lists/*`], { quiet: true });
    must(["tar", "--numeric-owner", "-C", root, "-cf", `${tarball}.partial`, "."]);
    renameSync(`${tarball}.partial`, tarball);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
  return tarball;
}

export function ensureBaseImage(): void {
  if (run(["docker", "image", "inspect", baseImage], { quiet: true }).status === 0) {
    console.log(`  ${baseImage} is present`);
    return;
  }
  if (run(["docker", "pull", baseImage], { timeoutMs: 120_000 }).status === 0) return;
  console.log(`  no registry reachable: building ${baseImage} from Debian packages`);
  const tarball = rootfsTarball("debian-bookworm-minbase");
  must(["docker", "import", "--change", 'CMD ["bash"]', tarball, baseImage]);
}
