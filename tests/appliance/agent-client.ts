/**
 * The host's end of the test agent (guest/tree-test-agent.py): one Unix socket that
 * QEMU connects to the VM's virtio-serial port org.tree.agent. Requests carry ids;
 * answers to requests nobody waits for any more (sent before a power cut) are dropped.
 */
import { connect, type Socket } from "node:net";
import { sleep } from "../containers/shell.ts";

export interface Answer {
  code: number;
  stdout: string;
  stderr: string;
}

interface Pending {
  resolve: (answer: Answer) => void;
  reject: (error: Error) => void;
  timer: ReturnType<typeof setTimeout>;
}

export class AgentClient {
  private socket: Socket | undefined;
  private buffered = "";
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();

  constructor(private readonly path: string) {}

  private async connected(): Promise<Socket> {
    if (this.socket && !this.socket.destroyed) return this.socket;
    for (let attempt = 0; ; attempt++) {
      try {
        const socket = await new Promise<Socket>((resolve, reject) => {
          const s = connect(this.path);
          s.once("connect", () => resolve(s));
          s.once("error", reject);
        });
        socket.setEncoding("utf8");
        socket.on("data", (chunk: string) => this.received(chunk));
        socket.on("close", () => this.failAll(new Error("the VM's agent channel closed (VM stopped?)")));
        socket.on("error", () => {});
        this.socket = socket;
        return socket;
      } catch (error) {
        if (attempt >= 50) throw new Error(`cannot connect to QEMU's agent socket ${this.path}: ${(error as Error).message}`);
        await sleep(200);
      }
    }
  }

  private received(chunk: string): void {
    this.buffered += chunk;
    let newline: number;
    while ((newline = this.buffered.indexOf("\n")) >= 0) {
      const line = this.buffered.slice(0, newline);
      this.buffered = this.buffered.slice(newline + 1);
      try {
        const answer = JSON.parse(line) as Answer & { id: number };
        const waiting = this.pending.get(answer.id);
        if (waiting) {
          this.pending.delete(answer.id);
          clearTimeout(waiting.timer);
          waiting.resolve({ code: answer.code, stdout: answer.stdout, stderr: answer.stderr });
        }
      } catch {
        // A half line from before a power cut: ignored.
      }
    }
  }

  private failAll(error: Error): void {
    for (const [id, waiting] of this.pending) {
      clearTimeout(waiting.timer);
      this.pending.delete(id);
      waiting.reject(error);
    }
    this.socket = undefined;
    this.buffered = "";
  }

  /** Runs argv in the VM as root; rejects when no answer comes within timeoutMs. */
  async run(argv: readonly string[], options: { timeoutMs?: number; input?: string } = {}): Promise<Answer> {
    const socket = await this.connected();
    const id = this.nextId++;
    const timeoutMs = options.timeoutMs ?? 120_000;
    return await new Promise<Answer>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new Error(`no answer from the VM within ${timeoutMs / 1000} s to: ${argv.join(" ")}`));
      }, timeoutMs);
      this.pending.set(id, { resolve, reject, timer });
      socket.write(`${JSON.stringify({ id, argv, timeout: Math.ceil(timeoutMs / 1000), input: options.input ?? "" })}\n`);
    });
  }

  /** Shell text run by sh -c in the VM. */
  sh(script: string, options: { timeoutMs?: number; input?: string } = {}): Promise<Answer> {
    return this.run(["sh", "-c", script], options);
  }

  close(): void {
    this.socket?.destroy();
    this.failAll(new Error("closed"));
  }
}
