/**
 * `power cut`: on a fresh card, the VM is killed hard (SIGKILL to QEMU: whatever the
 * guest had not flushed is lost, as when a Pi is unplugged) five times:
 *   1. during the first boot's image load,
 *   2. right after an upload was accepted,
 *   3. while a visitor's program lights the strip,
 *   4. as soon as the stack turned healthy,
 *   5. right after another upload was accepted.
 * After every cut the next boot must reach a healthy stack that still knows every
 * submission it had accepted (201) before the cut.
 */
import { smokeProgram } from "../../containers/stack.ts";
import { type Bench, seconds } from "../bench.ts";
import { expect, httpGet, poll, stackHealthy, stripColours, unitTimes, upload, type Accepted } from "../guest.ts";
import type { Vm } from "../vm.ts";
import { hotspotToml } from "./first-boot.ts";

const firstLoadTimeoutMs = 30 * 60_000;
const healthyTimeoutMs = 30 * 60_000;
/** A program that ends quickly, so the per-visitor pending cap never refuses the next upload. */
const shortProgram = smokeProgram.replace("range(200)", "range(10)");

async function healthy(bench: Bench, vm: Vm): Promise<void> {
  const started = performance.now();
  await poll("a healthy stack after the power cut", healthyTimeoutMs, async () => {
    if (!(await stackHealthy(vm))) return undefined;
    const health = await httpGet(vm, "/api/health");
    return health.status === 200 ? true : undefined;
  }, 5000);
  bench.log(`healthy ${seconds(started).toFixed(0)} s after userspace came up; ${await bootReport(vm)}`);
}

/** Where this boot's time went (seconds after the kernel started), and whether Docker's storage was rebuilt. */
async function bootReport(vm: Vm): Promise<string> {
  const at = async (unit: string) => {
    const times = await unitTimes(vm, unit);
    return times.activeUs > 0 ? `${(times.activeUs / 1e6).toFixed(0)}` : times.state;
  };
  const recovered = await vm.agent.run(["cat", "/var/lib/tree-host/docker-recovery.json"]);
  return `docker up ${await at("docker.service")}, images loaded ${await at("tree-firstboot.service")}, tree.service ${await at("tree.service")}` +
    (recovered.code === 0 ? `; Docker's storage rebuilt: ${recovered.stdout.trim()}` : "");
}

async function allKept(vm: Vm, accepted: readonly Accepted[]): Promise<void> {
  for (const submission of accepted) {
    const view = await httpGet(vm, `/api/submissions/${submission.uuid}`, { cookie: submission.cookie });
    const body = await view.text();
    expect(view.status === 200, `accepted submission ${submission.uuid} is gone after a power cut (${view.status}: ${body.slice(0, 200)})`);
  }
}

export async function powerCutGroup(bench: Bench): Promise<void> {
  await bench.scenario("power cut", async () => {
    const files = bench.freshGroup("power-cut", hotspotToml);
    const accepted: Accepted[] = [];
    let bootNumber = 0;
    let vm: Vm | undefined;
    const boot = async () => (vm = (await bench.boot(files, ++bootNumber)).vm);
    const cut = async (vm: Vm, when: string) => {
      await vm.powerCut();
      bench.log(`power cut ${bootNumber}: ${when}`);
    };

    try {
      await stepsWithCuts();
    } finally {
      if (vm?.running) await vm.powerCut();
    }

    async function stepsWithCuts(): Promise<void> {
    let vm = await boot();
    await poll("the first boot's image load", firstLoadTimeoutMs, async () => {
      const loading = await vm.agent.run(["pgrep", "-f", "docker load"]);
      return loading.code === 0 ? true : undefined;
    }, 2000);
    await cut(vm, "during the first boot's image load");

    vm = await boot();
    await healthy(bench, vm);
    accepted.push(await upload(vm, shortProgram, accepted[0]?.cookie));
    await cut(vm, "right after an upload was accepted");

    vm = await boot();
    await healthy(bench, vm);
    await allKept(vm, accepted);
    const running = await upload(vm, smokeProgram, accepted[0]?.cookie);
    accepted.push(running);
    await poll("the program on the strip", 5 * 60_000, async () => ((await stripColours(vm)).some((led) => led.join() !== "0,0,0") ? true : undefined), 2000);
    await cut(vm, "while a program lit the strip");

    vm = await boot();
    await healthy(bench, vm);
    await allKept(vm, accepted);
    await cut(vm, "as soon as the stack was healthy");

    vm = await boot();
    await healthy(bench, vm);
    await allKept(vm, accepted);
    accepted.push(await upload(vm, shortProgram, accepted[0]?.cookie));
    await cut(vm, "right after another upload was accepted");

    vm = await boot();
    await healthy(bench, vm);
    await allKept(vm, accepted);
    bench.log(`5 power cuts: the stack came back healthy each time, all ${accepted.length} accepted submissions kept`);
    await vm.shutdown();
    }
  });
}
