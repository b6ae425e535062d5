#!/usr/bin/env node
// Makes a fresh Debian machine ready for one of the project's commands, so the
// README's quick start stays two commands. Plain Node on purpose: it runs before
// `npm ci` has brought Bun. Usage: node scripts/setup.mjs <profile>
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, statSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");

/** Debian packages each command needs, with the file that proves each is there (python3-seccomp: an import). */
const profiles = {
  // The sandbox: bubblewrap, Debian's own python3 and libseccomp's Python binding.
  run: { bubblewrap: "/usr/bin/bwrap", "python3-minimal": "/usr/bin/python3", "python3-seccomp": "import seccomp", "util-linux": "/usr/bin/setpriv" },
  // Browser tests drive Debian's Chromium; never a downloaded browser.
  test: { chromium: "/usr/bin/chromium" },
  // The container smoke test (npm run test:containers): Debian's Docker engine and compose v1,
  // debootstrap for the base image and the image-stage test, shellcheck, systemd-analyze.
  containers: { "docker.io": "/usr/sbin/dockerd", "docker-compose": "/usr/bin/docker-compose", debootstrap: "/usr/sbin/debootstrap", shellcheck: "/usr/bin/shellcheck", systemd: "/usr/bin/systemd-analyze" },
  // npm run build: the ws281x driver's library for x64 (gcc) and arm64 (Debian's cross toolchain).
  build: {
    gcc: "/usr/bin/gcc",
    "libc6-dev": "/usr/include/stdio.h",
    "gcc-aarch64-linux-gnu": "/usr/bin/aarch64-linux-gnu-gcc",
    "binutils-aarch64-linux-gnu": "/usr/bin/aarch64-linux-gnu-ld",
    "libc6-dev-arm64-cross": "/usr/aarch64-linux-gnu/include/stdio.h",
  },
  // npm run test:arm64: the build, an arm64 sysroot (debootstrap) and user-mode QEMU to run it on x86.
  arm64: { debootstrap: "/usr/sbin/debootstrap", "qemu-user-static": "/usr/bin/qemu-aarch64-static" },
  // npm run test:appliance: the arm64 root filesystem (debootstrap, user-mode QEMU for its
  // second stage), the images (a private Docker engine), the disks (ext4, FAT, qcow2) and
  // the emulated Pi itself (qemu-system-aarch64).
  appliance: {
    "qemu-system-arm": "/usr/bin/qemu-system-aarch64",
    mmdebstrap: "/usr/bin/mmdebstrap",
    "qemu-utils": "/usr/bin/qemu-img",
    e2fsprogs: "/usr/sbin/mke2fs",
    dosfstools: "/usr/sbin/mkfs.vfat",
    mtools: "/usr/bin/mcopy",
    "docker.io": "/usr/sbin/dockerd",
  },
};
// The ws281x driver tests compile its library with gcc.
profiles.test = { ...profiles.run, ...profiles.test, gcc: "/usr/bin/gcc", "libc6-dev": "/usr/include/stdio.h" };
profiles.arm64 = { ...profiles.build, ...profiles.arm64 };
profiles.appliance = { ...profiles.arm64, ...profiles.appliance };

function seccompPresent() {
  return spawnSync("/usr/bin/python3", ["-c", "import seccomp"], { stdio: "ignore" }).status === 0;
}

function missingPackages(profile) {
  return Object.entries(profiles[profile]).filter(([name, proof]) =>
    name === "python3-seccomp" ? !existsSync("/usr/bin/python3") || !seccompPresent() : !existsSync(proof),
  ).map(([name]) => name);
}

function ensureNodeModules() {
  const lock = join(root, "package-lock.json");
  const marker = join(root, "node_modules", ".package-lock.json");
  if (existsSync(marker) && statSync(marker).mtimeMs >= statSync(lock).mtimeMs) return;
  console.error("setup: installing npm packages (npm ci)…");
  execFileSync("npm", ["ci", "--no-audit", "--no-fund"], { cwd: root, stdio: "inherit" });
}

function ensureSystemPackages(profile) {
  const missing = missingPackages(profile);
  if (missing.length === 0) return;
  const command = `apt-get install -y ${missing.join(" ")}`;
  if (process.getuid?.() !== 0) {
    console.error(`setup: missing Debian packages: ${missing.join(", ")}\n  install them with: sudo apt-get update && sudo ${command}`);
    process.exit(1);
  }
  console.error(`setup: installing Debian packages: ${missing.join(", ")}`);
  execFileSync("sh", ["-c", `apt-get update -q && DEBIAN_FRONTEND=noninteractive ${command} -q`], { stdio: "inherit" });
}

const profile = process.argv[2] ?? "run";
if (!(profile in profiles)) {
  console.error(`setup: unknown profile "${profile}" (known: ${Object.keys(profiles).join(", ")})`);
  process.exit(2);
}
ensureNodeModules();
ensureSystemPackages(profile);
