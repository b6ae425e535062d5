/**
 * The arm64 root filesystem the emulated Pi boots: Debian bookworm arm64 from Debian's
 * archive (the Raspberry Pi archive is not reachable here), with
 *   - what Raspberry Pi OS Lite brings that the appliance relies on (systemd, udev,
 *     NetworkManager's Wi-Fi helpers, python3) and Debian's arm64 kernel with an
 *     initramfs made inside this root (the Pi boots Raspberry Pi's kernel instead);
 *   - the pi-gen stage's packages, installed as pi-gen does (NN-packages with their
 *     recommends, NN-packages-nr without);
 *   - test-only tools for the other end of the Wi-Fi scenarios (hostapd, dig, curl).
 * Built once per package list with mmdebstrap (its time is printed) and cached;
 * the stage's own steps are applied later, on a copy (disk.ts), so editing the stage
 * does not rebuild this.
 */
import { copyFileSync, existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { debianMirror } from "../containers/base-image.ts";
import { packagesIn, subStages } from "../containers/image-stage.ts";
import { mustInBackground } from "../containers/shell.ts";
import { cached, inputsHash, logDir, undocumented } from "./cache.ts";
import { repoRoot } from "./paths.ts";

const suite = "bookworm";
const stageDir = join(repoRoot, "image", "stage-tree");

/** Raspberry Pi OS Lite's part that matters here, in Debian's names. */
export const systemPackages = [
  "systemd-sysv", "udev", "kmod", "dbus", "iproute2", "iw", "wpasupplicant", "dnsmasq-base",
  "e2fsprogs", "dosfstools", "python3", "ca-certificates", "initramfs-tools", "linux-image-arm64",
] as const;
/** Only the test uses these: the access point and station on the second radio. Not on a real image. */
export const testOnlyPackages = ["hostapd", "dnsutils", "curl", "isc-dhcp-client", "procps"] as const;
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

function newestKernelFile(root: string, prefix: string): string {
  const names = readdirSync(join(root, "boot")).filter((name) => name.startsWith(prefix)).sort();
  const name = names.at(-1);
  if (name === undefined) throw new Error(`no /boot/${prefix}* in the arm64 root: the kernel package did not install`);
  return join(root, "boot", name);
}

export async function ensureBaseRoot(log: (line: string) => void): Promise<BaseRoot> {
  const stage = stagePackageLists();
  const key = inputsHash(["v3-mmdebstrap-modules-list", suite, systemPackages.join(" "), testOnlyPackages.join(" "), stage.withRecommends.join(" "), stage.withoutRecommends.join(" "), initramfsModules.join(" ")]);
  const dir = await cached("rootfs", key, (out) => build(out, stage), log);
  const root = join(dir, "root");
  return { key, root, kernel: newestKernelFile(root, "vmlinuz-"), initrd: newestKernelFile(root, "initrd.img-") };
}

async function build(out: string, stage: ReturnType<typeof stagePackageLists>): Promise<void> {
  const root = join(out, "root");
  const mirror = debianMirror();
  const started = performance.now();
  const apt = "DEBIAN_FRONTEND=noninteractive apt-get install -y -q -o Dpkg::Options::=--force-confold -o Dpkg::Options::=--force-unsafe-io";
  // The initramfs holds only the modules that find the root disk on QEMU's virt machine
  // (MODULES=list): with Debian's default (most) it copies thousands of modules, each an
  // emulated process, and took ~20 min here. Written before the kernel is installed, so
  // the initramfs its postinst makes is already this one.
  const initramfsSetup = [
    'mkdir -p "$1/etc/initramfs-tools/conf.d"',
    `printf '%s\\n' ${initramfsModules.join(" ")} > "$1/etc/initramfs-tools/modules"`,
    `echo MODULES=list > "$1/etc/initramfs-tools/conf.d/tree-emulator"`,
  ].join(" && ");
  // mmdebstrap rather than debootstrap: it resolves and downloads with the host's apt and
  // runs only dpkg and the maintainer scripts under emulation, where debootstrap's whole
  // second stage (shell and perl) runs emulated: several times faster for a foreign root.
  // Everything without recommends first, then the stage's NN-packages with theirs, as pi-gen does.
  await mustInBackground(["mmdebstrap", "--arch=arm64", "--variant=apt", "--skip=check/qemu", "--dpkgopt=force-unsafe-io",
    // Documentation and translations: nothing on the appliance reads them.
    ...undocumented,
    `--include=${[...systemPackages, ...testOnlyPackages, ...stage.withoutRecommends].join(",")}`,
    `--essential-hook=${initramfsSetup}`,
    "--dpkgopt=force-confold",
    `--customize-hook=chroot "$1" sh -c '${apt} ${stage.withRecommends.join(" ")}'`,
    // In case the kernel was configured before initramfs-tools and so made none.
    `--customize-hook=ls "$1"/boot/initrd.img-* >/dev/null 2>&1 || chroot "$1" update-initramfs -c -k all`,
    suite, root, mirror], join(logDir(), "rootfs.log"), { timeoutMs: 90 * 60_000 });
  // The kernel and initramfs QEMU boots directly (-kernel/-initrd), as the Pi's firmware does from the boot partition.
  for (const prefix of ["vmlinuz-", "initrd.img-"]) copyFileSync(newestKernelFile(root, prefix), join(out, prefix.replace(/-$/, "")));
  if (!existsSync(join(root, "lib/modules"))) throw new Error("the arm64 root has no kernel modules");
  console.log(`  arm64 root filesystem: ${((performance.now() - started) / 1000).toFixed(0)} s`);
}
