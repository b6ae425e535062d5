/**
 * The emulated Pi's disks, made from the cached arm64 root (rootfs.ts) and images
 * (images.ts) by running the pi-gen stage's own steps on a copy of the root, as pi-gen
 * would on stage2's: image/assemble-stage.sh with the saved images, then each
 * sub-stage's NN-packages check, NN-run.sh (ROOTFS_DIR, on_chroot) and
 * NN-run-chroot.sh, through the same runner the container test uses.
 *
 * Then what only the emulator needs, all listed here and in the README:
 *   - /etc/fstab for QEMU's disks (the Pi's is written by pi-gen's export with PARTUUIDs);
 *   - the test agent (guest/tree-test-agent.*), two mac80211_hwsim radios loaded at
 *     boot (wlan0 stands for the onboard Wi-Fi) and wlan1 left out of NetworkManager.
 * The root becomes an ext4 image (`mke2fs -d`); the boot partition's files (config.txt,
 * cmdline.txt, tree.toml as the stage left them) are kept aside and become a small FAT
 * image per boot, with the scenario's tree.toml (bootPartition()).
 */
import { copyFileSync, cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { runSubStage, subStages } from "../containers/image-stage.ts";
import { must } from "../containers/shell.ts";
import { cached, inputsHash } from "./cache.ts";
import { applianceTestDir, repoRoot } from "./paths.ts";
import type { BaseRoot } from "./rootfs.ts";

const rootImageSize = "6G";
const bootImageKiB = 65536;

export interface Disk {
  dir: string;
  /** ext4 image of the root partition (raw; scenarios boot qcow2 overlays of it). */
  rootImage: string;
  /** The boot partition's files as the stage left them. */
  bootFiles: string;
  kernel: string;
  initrd: string;
  /** Kernel command line: the stage's cmdline.txt with QEMU's console and root disk. */
  cmdline: string;
}

/** The boot files pi-gen's stage1 leaves on a fresh card (the stage's 02-boot edits them). */
function stage1BootFiles(root: string): void {
  const boot = join(root, "boot", "firmware");
  mkdirSync(boot, { recursive: true });
  writeFileSync(join(boot, "config.txt"), "# stands for pi-gen stage1's config.txt\ndtparam=audio=on\n[all]\n");
  writeFileSync(join(boot, "cmdline.txt"), "console=serial0,115200 console=tty1 root=ROOTDEV rootfstype=ext4 fsck.repair=yes rootwait\n");
}

function emulatorGlue(root: string): void {
  writeFileSync(join(root, "etc/fstab"), [
    "# QEMU virt machine: root on the first virtio disk, the boot partition (FAT, label bootfs) on the second.",
    "/dev/vda / ext4 defaults,noatime 0 1",
    "LABEL=bootfs /boot/firmware vfat defaults 0 2",
    "",
  ].join("\n"));
  const guest = join(applianceTestDir, "guest");
  mkdirSync(join(root, "usr/local/lib/tree-test-agent"), { recursive: true });
  copyFileSync(join(guest, "tree-test-agent.py"), join(root, "usr/local/lib/tree-test-agent/tree-test-agent.py"));
  copyFileSync(join(guest, "tree-test-agent.service"), join(root, "etc/systemd/system/tree-test-agent.service"));
  mkdirSync(join(root, "etc/systemd/system/sysinit.target.wants"), { recursive: true });
  must(["ln", "-sf", "/etc/systemd/system/tree-test-agent.service", join(root, "etc/systemd/system/sysinit.target.wants/tree-test-agent.service")], { quiet: true });
  copyFileSync(join(guest, "tree-test-hwsim.conf"), join(root, "etc/modules-load.d/tree-test-hwsim.conf"));
  copyFileSync(join(guest, "tree-test-hwsim-options.conf"), join(root, "etc/modprobe.d/tree-test-hwsim.conf"));
  mkdirSync(join(root, "etc/NetworkManager/conf.d"), { recursive: true });
  copyFileSync(join(guest, "tree-test-nm.conf"), join(root, "etc/NetworkManager/conf.d/tree-test.conf"));
}

function kernelCommandLine(stageCmdline: string): string {
  const kept = stageCmdline.trim().split(/\s+/).filter((word) => !/^(console|root|rootfstype)=/.test(word));
  // eth0/wlan0 as on the Pi; panic=-1: a kernel panic ends QEMU (-no-reboot) instead of hanging the test.
  return ["console=ttyAMA0", "root=/dev/vda", "rootfstype=ext4", "rw", "net.ifnames=0", "panic=-1", ...kept].join(" ");
}

export async function ensureDisk(base: BaseRoot, imagesDir: string, log: (line: string) => void): Promise<Disk> {
  const key = inputsHash(["v1", base.key, { path: imagesDir }, { path: join(repoRoot, "image") }, { path: join(repoRoot, "systemd") },
    { path: join(repoRoot, "compose.yml") }, { path: join(repoRoot, "docker") }, { path: join(repoRoot, "docs", "OPERATOR.md") },
    { path: join(applianceTestDir, "guest") }, readFileSync(join(applianceTestDir, "disk.ts"), "utf8")]);
  const dir = await cached("disk", key, (out) => {
    const work = join(out, "work");
    const root = join(work, "root");
    mkdirSync(work, { recursive: true });
    must(["cp", "-a", "--reflink=auto", base.root, root]);
    stage1BootFiles(root);
    const stage = join(work, "stage-tree");
    must([join(repoRoot, "image", "assemble-stage.sh"), stage, imagesDir]);
    for (const sub of subStages(stage)) runSubStage(stage, sub, root);
    emulatorGlue(root);
    const bootFiles = join(out, "boot");
    cpSync(join(root, "boot", "firmware"), bootFiles, { recursive: true });
    for (const name of readdirSync(join(root, "boot", "firmware"))) rmSync(join(root, "boot", "firmware", name), { recursive: true });
    copyFileSync(base.kernel, join(out, "vmlinuz"));
    copyFileSync(base.initrd, join(out, "initrd.img"));
    must(["mke2fs", "-q", "-t", "ext4", "-L", "rootfs", "-d", root, join(out, "root.img"), rootImageSize], { timeoutMs: 20 * 60_000 });
    rmSync(work, { recursive: true, force: true });
  }, log);
  const bootFiles = join(dir, "boot");
  return {
    dir, rootImage: join(dir, "root.img"), bootFiles, kernel: join(dir, "vmlinuz"), initrd: join(dir, "initrd.img"),
    cmdline: kernelCommandLine(readFileSync(join(bootFiles, "cmdline.txt"), "utf8")),
  };
}

/** A FAT boot partition image (label bootfs) with the stage's files and the scenario's tree.toml. */
export function bootPartition(disk: Disk, path: string, treeToml: string): void {
  rmSync(path, { force: true });
  must(["mkfs.vfat", "-n", "bootfs", "-C", path, String(bootImageKiB)], { quiet: true });
  const files = readdirSync(disk.bootFiles).filter((name) => name !== "tree.toml").map((name) => join(disk.bootFiles, name));
  if (files.length > 0) must(["mcopy", "-i", path, "-s", ...files, "::"], { quiet: true });
  const toml = `${path}.tree.toml`;
  writeFileSync(toml, treeToml);
  must(["mcopy", "-i", path, toml, "::tree.toml"], { quiet: true });
  rmSync(toml);
}

/** Reads a file from a boot partition image (the VM must be stopped). */
export function readBootFile(path: string, name: string): string | undefined {
  if (!existsSync(path)) return undefined;
  const result = Bun.spawnSync(["mtype", "-i", path, `::${name}`], { stdout: "pipe", stderr: "pipe" });
  return result.exitCode === 0 ? result.stdout.toString() : undefined;
}

/** A qcow2 overlay over the root image: a scenario group's writes, the cached image untouched. */
export function rootOverlay(disk: Disk, path: string): void {
  rmSync(path, { force: true });
  must(["qemu-img", "create", "-q", "-f", "qcow2", "-F", "raw", "-b", disk.rootImage, path], { quiet: true });
}

/** Replaces one file on a boot partition image (the VM must be stopped), as an operator edits tree.toml on a laptop. */
export function writeBootFile(path: string, name: string, text: string): void {
  const temporary = `${path}.${name}`;
  writeFileSync(temporary, text);
  must(["mcopy", "-o", "-i", path, temporary, `::${name}`], { quiet: true });
  rmSync(temporary);
}
