/**
 * One emulated Pi: qemu-system-aarch64's `virt` machine with Cortex-A53 cores (the Pi 3
 * and Zero 2 W's, the oldest the appliance supports; TCG, no KVM), Debian's kernel and
 * initramfs given directly (as the Pi's firmware loads them from the boot partition),
 * the root disk as a qcow2 overlay, the boot partition as a second disk, user-mode
 * networking with the editor's port 80 forwarded to a port on 127.0.0.1, the serial
 * console captured to a file, and the test agent on a virtio-serial port.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { closeSync, existsSync, openSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { freePort, sleep } from "../containers/shell.ts";
import { AgentClient } from "./agent-client.ts";
import type { Disk } from "./disk.ts";

export const vmMemoryMiB = Number(process.env.TREE_EMU_MEMORY_MIB || 1024);
export const vmCpus = Number(process.env.TREE_EMU_CPUS || 2);
const cpuModel = process.env.TREE_EMU_CPU || "cortex-a53";

export interface VmFiles {
  /** Work directory of this scenario group (overlay, boot image, logs, agent socket). */
  dir: string;
  overlay: string;
  bootImage: string;
}

export class Vm {
  readonly agent: AgentClient;
  readonly consoleLog: string;
  private exited: Promise<number | null>;
  private constructor(
    private readonly qemu: ChildProcess,
    readonly httpPort: number,
    readonly files: VmFiles,
    agentSocket: string,
    readonly boot: number,
  ) {
    this.agent = new AgentClient(agentSocket);
    this.consoleLog = join(files.dir, `console-${boot}.log`);
    this.exited = new Promise((resolve) => qemu.once("exit", (code) => resolve(code)));
  }

  /** Powers the VM on. `boot` numbers the boots of one group (console-N.log). */
  static async start(disk: Disk, files: VmFiles, boot: number): Promise<Vm> {
    const httpPort = await freePort();
    const agentSocket = join(files.dir, "agent.sock");
    rmSync(agentSocket, { force: true });
    const consoleLog = join(files.dir, `console-${boot}.log`);
    const qemuLog = openSync(join(files.dir, `qemu-${boot}.log`), "w");
    const args = [
      "-M", "virt", "-cpu", cpuModel, "-smp", String(vmCpus), "-m", String(vmMemoryMiB), "-accel", "tcg,thread=multi",
      "-kernel", disk.kernel, "-initrd", disk.initrd, "-append", disk.cmdline,
      "-drive", `if=none,id=root,file=${files.overlay},format=qcow2,cache=writeback`, "-device", "virtio-blk-pci,drive=root",
      "-drive", `if=none,id=boot,file=${files.bootImage},format=raw,cache=writeback`, "-device", "virtio-blk-pci,drive=boot",
      "-netdev", `user,id=net0,hostfwd=tcp:127.0.0.1:${httpPort}-:80`, "-device", "virtio-net-pci,netdev=net0",
      "-device", "virtio-rng-pci",
      "-device", "virtio-serial-pci",
      "-chardev", `socket,id=agent,path=${agentSocket},server=on,wait=off`, "-device", "virtserialport,chardev=agent,name=org.tree.agent",
      "-serial", `file:${consoleLog}`, "-display", "none", "-monitor", "none", "-no-reboot",
    ];
    const qemu = spawn("qemu-system-aarch64", args, { stdio: ["ignore", qemuLog, qemuLog] });
    closeSync(qemuLog);
    const vm = new Vm(qemu, httpPort, files, agentSocket, boot);
    for (let i = 0; i < 100 && !existsSync(agentSocket); i++) {
      if (qemu.exitCode !== null) break;
      await sleep(100);
    }
    if (!existsSync(agentSocket)) throw new Error(`QEMU did not start: ${readFileSync(join(files.dir, `qemu-${boot}.log`), "utf8").slice(-2000)}`);
    return vm;
  }

  get running(): boolean {
    return this.qemu.exitCode === null && this.qemu.signalCode === null;
  }

  url(path: string): string {
    return `http://127.0.0.1:${this.httpPort}${path}`;
  }

  /** Waits until the agent answers (userspace is up); returns the seconds it took. */
  async waitForAgent(timeoutMs: number): Promise<number> {
    const started = performance.now();
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (!this.running) throw new Error(`the VM stopped while booting (exit ${this.qemu.exitCode ?? this.qemu.signalCode})`);
      try {
        const answer = await this.agent.run(["true"], { timeoutMs: 10_000 });
        if (answer.code === 0) return (performance.now() - started) / 1000;
      } catch {
        // not up yet
      }
      await sleep(2000);
    }
    throw new Error(`the VM's userspace did not answer within ${timeoutMs / 1000} s`);
  }

  /** Pulls the plug: SIGKILL to QEMU, nothing flushed that the guest had not flushed. */
  async powerCut(): Promise<void> {
    this.agent.close();
    if (this.running) this.qemu.kill("SIGKILL");
    await this.exited;
  }

  /** Clean shutdown (poweroff inside), falling back to a power cut after timeoutMs. */
  async shutdown(timeoutMs = 120_000): Promise<void> {
    if (!this.running) return;
    try {
      await this.agent.run(["systemctl", "poweroff", "--no-block"], { timeoutMs: 10_000 });
    } catch {
      // fall through to the timer
    }
    this.agent.close();
    const timer = setTimeout(() => this.qemu.kill("SIGKILL"), timeoutMs);
    await this.exited;
    clearTimeout(timer);
  }

  /** The last lines of the serial console, for a FAIL. */
  consoleTail(lines = 30): string {
    if (!existsSync(this.consoleLog)) return "(no console output)";
    return readFileSync(this.consoleLog, "utf8").replace(/\r/g, "").split("\n").slice(-lines).join("\n");
  }
}
