/**
 * The `image` section (see run.ts): runs the pi-gen stage's steps, in pi-gen's order,
 * against a debootstrapped Debian bookworm root filesystem that has the stage's packages,
 * then checks that files, units and settings land where the Pi expects them.
 * This machine has no arm64 pi-gen run; the stage's steps are architecture-neutral.
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { createHash } from "node:crypto";
import { renameSync } from "node:fs";
import { cacheDir, debianArch, rootfsTarball } from "./base-image.ts";
import { must, run } from "./shell.ts";
import { type Check, repoRoot } from "./stack.ts";

const stageSource = join(repoRoot, "image", "stage-tree");
const units = ["tree.service", "tree-config.service", "tree-firstboot.service", "tree-watch.service"];
/** Started by others (docker.service's OnFailure=, tree-host images --recover), never enabled. */
const triggeredUnits = ["tree-docker-recover.service"];

function expect(condition: boolean, message: string): void {
  if (!condition) throw new Error(message);
}

/** Sub-stage directories (NN-name) in order, as pi-gen walks them. */
export function subStages(stage: string): string[] {
  return readdirSync(stage).filter((name) => /^\d\d-/.test(name) && statSync(join(stage, name)).isDirectory()).sort();
}

/** Package names in one NN-packages(-nr) file; `#` starts a comment, as in pi-gen. */
export function packagesIn(path: string): string[] {
  return readFileSync(path, "utf8").split("\n").flatMap((line) => line.replace(/#.*/, "").split(/\s+/)).filter(Boolean);
}

/** Every package the stage's NN-packages(-nr) files name. */
export function stagePackages(): string[] {
  const names = new Set<string>();
  for (const sub of subStages(stageSource)) {
    for (const file of readdirSync(join(stageSource, sub)).filter((name) => /^\d\d-packages(-nr)?$/.test(name))) {
      for (const name of packagesIn(join(stageSource, sub, file))) names.add(name);
    }
  }
  return [...names].sort();
}

/**
 * What pi-gen does for one sub-stage, in its order: packages (already in the test root
 * filesystem: checked with dpkg), NN-run.sh on the host with ROOTFS_DIR and on_chroot,
 * NN-run-chroot.sh inside the chroot. Each runs from the sub-stage's directory.
 */
export function runSubStage(stage: string, sub: string, rootfs: string): void {
  const dir = join(stage, sub);
  const steps = readdirSync(dir).filter((name) => /^\d\d-/.test(name)).sort();
  for (const step of steps) {
    const path = join(dir, step);
    if (/^\d\d-packages(-nr)?$/.test(step)) {
      const packages = packagesIn(path);
      must(["chroot", rootfs, "dpkg-query", "--show", "--showformat=${Package} ${Status}\\n", ...packages]);
    } else if (/^\d\d-run\.sh$/.test(step)) {
      const onChroot = `on_chroot() { chroot "$ROOTFS_DIR" /bin/bash -e "$@"; }; export -f on_chroot; copy_previous() { :; }; export -f copy_previous;`;
      must(["bash", "-c", `${onChroot} ./${step}`], { cwd: dir, env: { ROOTFS_DIR: rootfs } });
    } else if (/^\d\d-run-chroot\.sh$/.test(step)) {
      must(["chroot", rootfs, "/bin/bash", "-e"], { input: readFileSync(path, "utf8") });
    }
  }
}

/**
 * A bookworm root filesystem with systemd and the stage's packages, cached by package
 * list. Installed the way pi-gen does it: apt-get in a chroot with /proc, /dev and /sys
 * mounted (in a private mount namespace, so nothing stays mounted) and services kept
 * from starting by policy-rc.d.
 */
function stageRootfsTarball(packages: readonly string[]): string {
  const wanted = ["systemd", "systemd-sysv", ...packages];
  const key = createHash("sha256").update(wanted.join(" ")).digest("hex").slice(0, 12);
  const tarball = join(cacheDir, `stage-test-bookworm-${key}-${debianArch()}.tar`);
  if (existsSync(tarball)) {
    console.log(`  cached root filesystem ${tarball}`);
    return tarball;
  }
  const base = rootfsTarball("debian-bookworm-minbase");
  const root = mkdtempSync(join(cacheDir, "stage-rootfs-"));
  try {
    must(["tar", "--numeric-owner", "-C", root, "-xf", base]);
    writeFileSync(join(root, "etc/resolv.conf"), readFileSync("/etc/resolv.conf"));
    writeFileSync(join(root, "usr/sbin/policy-rc.d"), "#!/bin/sh\nexit 101\n", { mode: 0o755 });
    const install = `apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends ${wanted.join(" ")}`;
    must(["unshare", "--mount", "--propagation", "private", "sh", "-c",
      `mount -t proc proc "$0/proc" && mount --rbind /dev "$0/dev" && mount -t sysfs sysfs "$0/sys" && chroot "$0" sh -c "$1"`, root, install],
      { stream: true });
    must(["sh", "-c", `rm -rf "$0"/var/cache/apt/archives/*.deb "$0"/var/lib/apt/lists/* "$0"/usr/sbin/policy-rc.d`, root], { quiet: true });
    must(["tar", "--numeric-owner", "-C", root, "-cf", `${tarball}.partial`, "."]);
    renameSync(`${tarball}.partial`, tarball);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
  return tarball;
}

/** The boot files pi-gen's stage1 leaves, as on a fresh Raspberry Pi OS card. */
function fakeBootPartition(rootfs: string): void {
  const boot = join(rootfs, "boot", "firmware");
  mkdirSync(boot, { recursive: true });
  writeFileSync(join(boot, "config.txt"), "# base config from stage1\ndtparam=audio=on\n[pi4]\narm_boost=1\n[all]\n");
  writeFileSync(join(boot, "cmdline.txt"), "console=serial0,115200 console=tty1 root=ROOTDEV rootfstype=ext4 fsck.repair=yes rootwait\n");
}

const read = (rootfs: string, path: string) => readFileSync(join(rootfs, path), "utf8");
const mode = (rootfs: string, path: string) => (statSync(join(rootfs, path)).mode & 0o777).toString(8);

export async function imageChecks(check: Check): Promise<void> {
  const packages = stagePackages();
  const tarball = stageRootfsTarball(packages);
  const work = mkdtempSync("/var/tmp/tree-stage-test-");
  const rootfs = join(work, "rootfs");
  const stage = join(work, "stage-tree");
  try {
    mkdirSync(rootfs);
    must(["tar", "--numeric-owner", "-C", rootfs, "-xf", tarball]);
    fakeBootPartition(rootfs);
    must([join(repoRoot, "image", "assemble-stage.sh"), stage]);
    // Stand-ins for the saved images: only their placement is under test here.
    const images = join(stage, "01-tree", "files", "appliance", "images");
    for (const name of ["tree-app", "tree-gpio"]) {
      writeFileSync(join(images, `${name}.tar`), "stand-in");
      writeFileSync(join(images, `${name}.tar.sha256`), "0".repeat(64));
      writeFileSync(join(images, `${name}.tar.tag`), `${name}:latest\n`);
    }

    await check("the stage's steps run against a Debian bookworm root filesystem, twice", () => {
      for (let pass = 0; pass < 2; pass++) for (const sub of subStages(stage)) runSubStage(stage, sub, rootfs);
    });

    await check("the appliance's files land in /opt/tree", () => {
      for (const path of ["compose.yml", "docker/seccomp/app.json", "docker/compose.spi.yml", "docker/compose.pwm.yml", "docs/OPERATOR.md", "images/tree-app.tar", "images/tree-gpio.tar.tag"]) {
        expect(existsSync(join(rootfs, "opt/tree", path)), `/opt/tree/${path} is missing`);
      }
      expect(mode(rootfs, "opt/tree/bin/tree-host") === "755", "tree-host is not executable");
      expect(read(rootfs, "opt/tree/compose.yml") === readFileSync(join(repoRoot, "compose.yml"), "utf8"), "the image's compose.yml differs from the repository's");
    });

    await check("the units are installed, enabled and pass systemd-analyze verify", () => {
      for (const unit of [...units, "docker.service", "avahi-daemon.service", "NetworkManager.service"]) {
        const state = run(["systemctl", `--root=${rootfs}`, "is-enabled", unit]);
        expect(state.stdout.trim() === "enabled", `${unit} is ${state.stdout.trim() || state.stderr.trim()}`);
      }
      const verify = run(["systemd-analyze", `--root=${rootfs}`, "verify", ...[...units, ...triggeredUnits].map((unit) => `/etc/systemd/system/${unit}`)],
      );
      const problems = `${verify.stdout}${verify.stderr}`.split("\n").filter((line) => /tree|docker-compose|opt\/tree/.test(line));
      expect(verify.status === 0 && problems.length === 0, `systemd-analyze verify:\n${verify.stdout}${verify.stderr}`);
      const dropIn = read(rootfs, "etc/systemd/system/docker.service.d/tree-docker-recover.conf");
      expect(/^\[Unit\]\nOnFailure=tree-docker-recover\.service$/m.test(dropIn), "docker.service does not start tree-docker-recover.service when it fails");
      expect(existsSync(join(rootfs, "etc/systemd/system/tree-docker-recover.service")), "the unit docker.service's OnFailure= names is not installed");
      // The watcher follows NetworkManager and Docker, not tree.service (the venue fallback must not wait for the image load).
      const watch = read(rootfs, "etc/systemd/system/tree-watch.service");
      expect(/^After=.*NetworkManager\.service.*docker\.service/m.test(watch) && !/^After=.*tree\.service/m.test(watch), "tree-watch.service is ordered wrongly");
    });

    await check("boot settings: SPI, audio off, [pi5] kernel8.img, memory cgroup, SPI buffer", () => {
      const config = read(rootfs, "boot/firmware/config.txt");
      expect((config.match(/# >>> tree appliance/g) ?? []).length === 1, "the tree block is in config.txt more than once");
      expect(/\[pi02\]\n(#.*\n)*core_freq=250/.test(config), "the Zero 2 W ([pi02]) does not get the Pi 3's core clock pin");
      for (const line of ["dtparam=spi=on", "dtparam=audio=off", "core_freq=250", "core_freq_min=500", "kernel=kernel8.img"]) {
        expect(config.split("\n").includes(line), `config.txt lacks ${line}`);
      }
      expect(/\[pi5\]\n(#.*\n)*kernel=kernel8\.img/.test(config), "kernel=kernel8.img is not under [pi5]");
      expect(config.trimEnd().endsWith("[all]\n# <<< tree appliance"), "config.txt does not end in [all]");
      const cmdline = read(rootfs, "boot/firmware/cmdline.txt");
      expect(cmdline.split("\n").filter(Boolean).length === 1, "cmdline.txt is not one line");
      for (const option of ["cgroup_enable=memory", "cgroup_memory=1", "spidev.bufsiz=32768", "apparmor=0", "rootwait"]) {
        expect(cmdline.split(/\s+/).filter((word) => word === option).length === 1, `cmdline.txt has ${option} not exactly once`);
      }
      expect(existsSync(join(rootfs, "boot/firmware/tree.toml")), "tree.toml is not on the boot partition");
    });

    await check("host settings: hardening sysctls, hostname, mDNS, volatile journal, watchdog, Docker logs", () => {
      const sysctl = read(rootfs, "etc/sysctl.d/90-tree-hardening.conf");
      for (const setting of ["dev.tty.legacy_tiocsti = 0", "kernel.io_uring_disabled = 2", "kernel.unprivileged_bpf_disabled = 1", "kernel.kptr_restrict = 2", "kernel.dmesg_restrict = 1"]) {
        expect(sysctl.includes(setting), `sysctl lacks ${setting}`);
      }
      expect(read(rootfs, "etc/hostname").trim() === "tree", "hostname is not tree");
      expect(/^127\.0\.1\.1\s+tree$/m.test(read(rootfs, "etc/hosts")), "/etc/hosts does not name tree");
      expect(read(rootfs, "etc/avahi/services/tree.service").includes("<port>80</port>"), "no mDNS http service");
      const avahi = read(rootfs, "etc/avahi/avahi-daemon.conf");
      expect(/^\[server\][^[]*^allow-interfaces=wlan0,eth0$/m.test(avahi), "Avahi is not limited to wlan0/eth0 (it would announce Docker's bridges)");
      expect((avahi.match(/^allow-interfaces=/gm) ?? []).length === 1, "allow-interfaces is set more than once");
      expect(mode(rootfs, "var/lib/tree-host") === "755", "the app cannot read status.json in /var/lib/tree-host");
      expect(read(rootfs, "etc/systemd/journald.conf.d/tree.conf").includes("Storage=volatile"), "the journal is written to the card");
      expect(read(rootfs, "etc/systemd/system.conf.d/tree-watchdog.conf").includes("RuntimeWatchdogSec=14"), "no hardware watchdog");
      expect(JSON.parse(read(rootfs, "etc/docker/daemon.json"))["log-driver"] === "journald", "Docker logs go to the card");
      expect(read(rootfs, "etc/modprobe.d/tree-no-onboard-audio.conf").includes("blacklist snd_bcm2835"), "onboard audio is not blacklisted");
    });

    await check("first boot in the image: tree-host reads the shipped tree.toml (hotspot with DNS catch-all)", () => {
      must(["chroot", rootfs, "/opt/tree/bin/tree-host", "secrets"]);
      must(["chroot", rootfs, "/opt/tree/bin/tree-host", "config"]);
      const env = read(rootfs, "etc/tree/compose.env");
      for (const line of ['COMPOSE_FILE="compose.yml:docker/compose.spi.yml"', 'TREE_DRIVER="spi"', 'TREE_PUBLIC_URL="http://10.42.0.1/"', 'TREE_WIFI_SSID="tree"']) {
        expect(env.split("\n").includes(line), `compose.env lacks ${line}:\n${env}`);
      }
      expect(/^TREE_OPERATOR_PASSWORD="[a-z0-9-]{23}"$/m.test(env), "no generated operator password in compose.env");
      expect(mode(rootfs, "etc/tree/compose.env") === "600", "compose.env is readable by others");
      const connection = "etc/NetworkManager/system-connections/tree-hotspot.nmconnection";
      expect(mode(rootfs, connection) === "600", "the hotspot connection is not 0600 (NetworkManager ignores it)");
      expect(/^mode=ap$/m.test(read(rootfs, connection)) && /^address1=10\.42\.0\.1\/24$/m.test(read(rootfs, connection)), "not a hotspot on 10.42.0.1");
      expect(read(rootfs, "etc/NetworkManager/dnsmasq-shared.d/tree-captive.conf").trim() === "address=/#/10.42.0.1", "no DNS catch-all");
      expect(read(rootfs, "boot/firmware/tree-status.txt").includes("In force:"), "tree-status.txt does not report the settings");
      expect(read(rootfs, "boot/firmware/tree-operator-password.txt").length > 0, "the operator password note is missing");
    });

    await check("venue mode and a broken tree.toml: the connection switches, mistakes are reported, last good settings stay", () => {
      const toml = join(rootfs, "boot/firmware/tree.toml");
      writeFileSync(toml, '[wifi]\nmode = "venue"\nssid = "Venue Guest"\npassword = "s3cret-venue"\n[leds]\ndriver = "ws281x"\n');
      must(["chroot", rootfs, "/opt/tree/bin/tree-host", "config"]);
      expect(existsSync(join(rootfs, "etc/NetworkManager/system-connections/tree-venue.nmconnection")), "no venue connection");
      // The fallback hotspot waits, ready, for tree-host watch; the catch-all serves it then.
      expect(/^autoconnect=false$/m.test(read(rootfs, "etc/NetworkManager/system-connections/tree-hotspot.nmconnection")), "the fallback hotspot would start by itself");
      expect(existsSync(join(rootfs, "etc/NetworkManager/dnsmasq-shared.d/tree-captive.conf")), "the DNS catch-all is gone in venue mode (the fallback hotspot needs it)");
      const env = read(rootfs, "etc/tree/compose.env");
      expect(env.includes('COMPOSE_FILE="compose.yml:docker/compose.pwm.yml"') && env.includes('TREE_WIFI_SSID="tree"') && !env.includes("s3cret-venue"), `venue settings not in force:\n${env}`);
      writeFileSync(toml, "[leds]\ncount = 0\nbrightness = 5\n");
      must(["chroot", rootfs, "/opt/tree/bin/tree-host", "config"]);
      const status = read(rootfs, "boot/firmware/tree-status.txt");
      expect(status.includes("leds.count: expected a whole number from 1 to 2048, got 0"), `count error not reported:\n${status}`);
      expect(status.includes("leds.brightness: unknown setting"), `unknown key not reported:\n${status}`);
      expect(read(rootfs, "etc/tree/compose.env") === env, "a broken tree.toml changed the settings in force");
    });
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
