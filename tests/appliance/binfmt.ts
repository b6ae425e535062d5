/**
 * Lets this x86 machine run arm64 programs in a chroot or a container (debootstrap's
 * second stage, apt-get in the arm64 root, `docker build --platform linux/arm64`):
 * registers qemu-user-static's aarch64 interpreter with binfmt_misc. The "F" flag opens
 * the interpreter at registration, so it works inside chroots and containers that do
 * not hold a copy of it.
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { must } from "../containers/shell.ts";

const binfmtDir = "/proc/sys/fs/binfmt_misc";
const entry = `${binfmtDir}/qemu-aarch64`;
/** qemu-user-static's own registration line (systemd-binfmt's format). */
const registration = "/usr/lib/binfmt.d/qemu-aarch64.conf";

export function ensureArm64Binfmt(log: (line: string) => void): void {
  if (!existsSync(`${binfmtDir}/register`)) must(["mount", "-t", "binfmt_misc", "binfmt_misc", binfmtDir]);
  if (existsSync(entry)) {
    const state = readFileSync(entry, "utf8");
    if (!state.startsWith("enabled")) writeFileSync(entry, "1");
    if (!/flags: \S*F/.test(state)) throw new Error(`${entry} is registered without the F flag: arm64 programs will not run in a chroot (update-binfmts --package qemu-user-static --remove qemu-aarch64 … and re-run)`);
    return;
  }
  if (!existsSync(registration)) throw new Error(`${registration} is missing: run node scripts/setup.mjs appliance (qemu-user-static)`);
  const line = readFileSync(registration, "utf8").split("\n").find((l) => l.startsWith(":qemu-aarch64:"));
  if (line === undefined) throw new Error(`${registration} holds no qemu-aarch64 line`);
  writeFileSync(`${binfmtDir}/register`, line);
  log("binfmt: registered qemu-aarch64 (F flag) for arm64 programs");
}
