/**
 * The arm64 root filesystem the emulated Pi boots: Debian bookworm arm64 from Debian's
 * archive (the Raspberry Pi archive is not reachable here), with
 *   - what Raspberry Pi OS Lite brings that the appliance relies on (systemd, udev,
 *     NetworkManager's Wi-Fi helpers, python3) and Debian's arm64 kernel with an
 *     initramfs made inside this root (the Pi boots Raspberry Pi's kernel instead);
 *   - the pi-gen stage's packages, installed as pi-gen does (NN-packages with their
 *     recommends, NN-packages-nr without);
 *   - test-only tools for the other end of the Wi-Fi scenarios (hostapd, dig, curl).
 * Built once per package list (about 15–25 min under user-mode emulation) and cached;
 * the stage's own steps are applied later, on a copy (disk.ts), so editing the stage
 * does not rebuild this.
 */
import { existsSync, readdirSync, readFileSync, writeFileSync, appendFileSync, copyFileSync } from "node:fs";
import { join } from "node:path";
import { debianMirror } from "../containers/base-image.ts";
import { packagesIn, subStages } from "../containers/image-stage.ts";
import { must } from "../containers/shell.ts";
import { cached, inputsHash } from "./cache.ts";
import { repoRoot } from "./paths.ts";

const suite = "bookworm";
const stageDir = join(repoRoot, "image", "stage-tree");

/** Raspberry Pi OS Lite's part that matters here, in Debian's names. */
export const systemPackages = [
  "systemd-sysv", "udev", "kmod", "dbus", "iproute2", "iw", "wpasupplicant", "dnsmasq-base",
  "e2fsprogs", "dosfstools", "python3", "ca-certificates", "initramfs-tools", "linux-image-arm64",
] as const;
/** Only the test uses these: the access point and station on the second radio. Not on a real image. */
export const testOnlyPackages = ["hostapd", "dnsutils", "curl"] as const;
/** Modules the initramfs must hold to find the root disk on QEMU's virt machine. */
const initramfsModules = ["virtio_pci", "virtio_mmio", "virtio_blk", "virtio_console", "ext4"];

export interface BaseRoot {
  /** The cache key: a hash of the package lists. */
  key: string;
  /** The root directory (do not modify: copy it). */
  root: string;
  kernel: string;
  initrd: string;
}

function stagePackageLists(): { withRecommends: string[]; withoutRecommends: string[] } {
  const withRecommends: string[] = [];
  const withoutRecommends: string[] = [];
  for (const sub of subStages(stageDir)) {
    for (const file of readdirSync(join(stageDir, sub))) {
      if (/^\d\d-packages$/.test(file)) withRecommends.push(...packagesIn(join(stageDir, sub, file)));
      if (/^\d\d-packages-nr$/.test(file)) withoutRecommends.push(...packagesIn(join(stageDir, sub, file)));
    }
  }
  return { withRecommends, withoutRecommends };
}

/** Runs a shell script inside the arm64 root with /proc, /sys and /dev, in a private mount namespace. */
export function inChroot(root: string, script: string, options: { stream?: boolean; timeoutMs?: number } = {}) {
  return must(["unshare", "--mount", "--propagation", "private", "sh", "-c",
    'mount -t proc proc "$0/proc" && mount -t sysfs sysfs "$0/sys" && mount --rbind /dev "$0/dev" && chroot "$0" /bin/sh -ec "$1"', root, script],
    { stream: options.stream ?? true, timeoutMs: options.timeoutMs ?? 60 * 60_000 });
}

function newestKernelFile(root: string, prefix: string): string {
  const names = readdirSync(join(root, "boot")).filter((name) => name.startsWith(prefix)).sort();
  const name = names.at(-1);
  if (name === undefined) throw new Error(`no /boot/${prefix}* in the arm64 root: the kernel package did not install`);
  return join(root, "boot", name);
}

export async function ensureBaseRoot(log: (line: string) => void): Promise<BaseRoot> {
  const stage = stagePackageLists();
  const key = inputsHash(["v1", suite, systemPackages.join(" "), testOnlyPackages.join(" "), stage.withRecommends.join(" "), stage.withoutRecommends.join(" "), initramfsModules.join(" ")]);
  const dir = await cached("rootfs", key, (out) => build(out, stage), log);
  const root = join(dir, "root");
  return { key, root, kernel: newestKernelFile(root, "vmlinuz-"), initrd: newestKernelFile(root, "initrd.img-") };
}

function build(out: string, stage: ReturnType<typeof stagePackageLists>): void {
  const root = join(out, "root");
  const mirror = debianMirror();
  const started = performance.now();
  // First stage unpacks only (no emulation); the second runs the arm64 maintainer scripts under binfmt.
  must(["debootstrap", "--arch=arm64", "--foreign", suite, root, mirror], { stream: true, timeoutMs: 30 * 60_000 });
  must(["chroot", root, "/debootstrap/debootstrap", "--second-stage"], { stream: true, timeoutMs: 60 * 60_000 });
  console.log(`  debootstrap: ${((performance.now() - started) / 1000).toFixed(0)} s`);
  writeFileSync(join(root, "etc/apt/sources.list"), `deb ${mirror} ${suite} main\n`);
  writeFileSync(join(root, "etc/resolv.conf"), readFileSync("/etc/resolv.conf"));
  // As pi-gen does: no service starts inside the chroot.
  writeFileSync(join(root, "usr/sbin/policy-rc.d"), "#!/bin/sh\nexit 101\n", { mode: 0o755 });
  const apt = "DEBIAN_FRONTEND=noninteractive apt-get install -y -q -o Dpkg::Options::=--force-confold";
  inChroot(root, [
    "apt-get update -q",
    `${apt} --no-install-recommends ${[...systemPackages, ...testOnlyPackages].join(" ")}`,
    `${apt} ${stage.withRecommends.join(" ")}`,
    `${apt} --no-install-recommends ${stage.withoutRecommends.join(" ")}`,
  ].join(" && "));
  appendFileSync(join(root, "etc/initramfs-tools/modules"), `${initramfsModules.join("\n")}\n`);
  inChroot(root, "update-initramfs -u -k all");
  must(["sh", "-c", 'rm -rf "$0"/var/cache/apt/archives/*.deb "$0"/var/lib/apt/lists/* "$0"/usr/sbin/policy-rc.d', root], { quiet: true });
  // The kernel and initramfs QEMU boots directly (-kernel/-initrd), as the Pi's firmware does from the boot partition.
  for (const prefix of ["vmlinuz-", "initrd.img-"]) copyFileSync(newestKernelFile(root, prefix), join(out, prefix.replace(/-$/, "")));
  if (!existsSync(join(root, "lib/modules"))) throw new Error("the arm64 root has no kernel modules");
  console.log(`  arm64 root filesystem: ${((performance.now() - started) / 1000).toFixed(0)} s`);
}
