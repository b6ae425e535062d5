/**
 * The test bench: the disk the scenarios boot, a work directory per scenario group,
 * and the record of results. A scenario is a name and a body; it passes when the body
 * returns and fails with the body's error, printed as one line, followed by the
 * serial console's tail of the VM it ran on.
 */
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { bootPartition, rootOverlay, type Disk } from "./disk.ts";
import { Vm, type VmFiles } from "./vm.ts";

export interface Result {
  name: string;
  ok: boolean;
  why?: string;
  seconds: number;
}

export const seconds = (since: number) => (performance.now() - since) / 1000;

export class Bench {
  readonly results: Result[] = [];
  /** The VM a scenario is using, for the console tail on failure. */
  current: Vm | undefined;

  constructor(readonly disk: Disk, readonly workDir: string) {}

  log(line: string): void {
    console.log(`  ${line}`);
  }

  /** Runs one named scenario and prints `PASS name` or `FAIL name: why`. */
  async scenario(name: string, body: () => Promise<void>): Promise<boolean> {
    const started = performance.now();
    console.log(`\n▶ ${name}`);
    try {
      await body();
      this.results.push({ name, ok: true, seconds: seconds(started) });
      console.log(`PASS ${name} (${seconds(started).toFixed(0)} s)`);
      return true;
    } catch (error) {
      const why = (error as Error).message.split("\n")[0] ?? String(error);
      this.results.push({ name, ok: false, why, seconds: seconds(started) });
      console.log(`FAIL ${name}: ${why} (${seconds(started).toFixed(0)} s)`);
      const rest = (error as Error).message.split("\n").slice(1).join("\n");
      if (rest) console.log(rest.replace(/^/gm, "    "));
      if (this.current) console.log(`    serial console (${this.current.consoleLog}), last lines:\n${this.current.consoleTail().replace(/^/gm, "    | ")}`);
      return false;
    }
  }

  /** Records a scenario that could not run, with the reason. */
  skipped(name: string, why: string): void {
    this.results.push({ name, ok: false, why, seconds: 0 });
    console.log(`FAIL ${name}: ${why}`);
  }

  /** A fresh scenario group: its own directory, a clean overlay of the cached root, a boot partition with this tree.toml. */
  freshGroup(group: string, treeToml: string): VmFiles {
    const dir = join(this.workDir, group);
    mkdirSync(dir, { recursive: true });
    const files = { dir, overlay: join(dir, "root.qcow2"), bootImage: join(dir, "boot.img") };
    rootOverlay(this.disk, files.overlay);
    bootPartition(this.disk, files.bootImage, treeToml);
    return files;
  }

  /** Powers on a VM of a group and waits for its agent; returns the VM and the seconds to userspace. */
  async boot(files: VmFiles, bootNumber: number, timeoutMs = 15 * 60_000): Promise<{ vm: Vm; toUserspace: number }> {
    const vm = await Vm.start(this.disk, files, bootNumber);
    this.current = vm;
    const toUserspace = await vm.waitForAgent(timeoutMs);
    this.log(`boot ${bootNumber}: userspace answers after ${toUserspace.toFixed(0)} s`);
    return { vm, toUserspace };
  }
}
