/**
 * Scenario group on one fresh card: `first boot`, `upload lights the strip`,
 * `sandbox on aarch64`, then `hotspot captive portal` (the shipped default mode).
 * Leaves the VM shut down cleanly; its disk is reused by the venue group.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { defaultExample } from "../../../frontend/src/editor/default-example.ts";
import { smokeColour, smokeProgram } from "../../containers/stack.ts";
import { type Bench, seconds } from "../bench.ts";
import { appContainer, expect, httpGet, hostStatus, must, poll, stackHealthy, stripColours, unitTimes, upload } from "../guest.ts";
import { repoRoot } from "../paths.ts";
import type { Vm, VmFiles } from "../vm.ts";
import { hotspotCaptivePortal } from "./hotspot.ts";

export const ledCount = 24;
export const hotspotSsid = "tree-test";
export const hotspotPassword = "merry-christmas";

/** The operator's tree.toml for this group: the shipped hotspot mode, the simulated strip. */
export const hotspotToml = `[leds]
count = ${ledCount}
driver = "simulator"

[wifi]
mode = "hotspot"
ssid = "${hotspotSsid}"
password = "${hotspotPassword}"
`;

/** Minutes a first boot may take under TCG on a busy machine: the image load dominates. */
const firstBootTimeoutMs = 40 * 60_000;

async function firstBoot(bench: Bench, vm: Vm): Promise<void> {
  const started = performance.now();
  const state = await poll("tree.service to start (images loaded, compose up)", firstBootTimeoutMs, async () => {
    const answer = await vm.agent.run(["systemctl", "is-active", "tree.service"], { timeoutMs: 30_000 });
    return answer.stdout.trim() === "active" ? "active" : undefined;
  }, 5000);
  bench.log(`tree.service ${state} after ${seconds(started).toFixed(0)} s`);
  await poll("both containers healthy", 15 * 60_000, async () => ((await stackHealthy(vm)) ? true : undefined), 5000);
  bench.log(`stack healthy after ${seconds(started).toFixed(0)} s`);

  // Units in order: settings before NetworkManager and the stack; images loaded before compose up.
  const config = await unitTimes(vm, "tree-config.service");
  const firstboot = await unitTimes(vm, "tree-firstboot.service");
  const tree = await unitTimes(vm, "tree.service");
  const docker = await unitTimes(vm, "docker.service");
  const nm = await unitTimes(vm, "NetworkManager.service");
  for (const [name, unit] of [["tree-config", config], ["tree-firstboot", firstboot], ["tree", tree], ["docker", docker]] as const) {
    expect(unit.state === "active", `${name}.service is ${unit.state}`);
  }
  expect(config.activeUs <= tree.startedUs, "tree.service started before tree-config.service had finished");
  expect(config.activeUs <= nm.startedUs, "NetworkManager started before tree-config.service wrote the Wi-Fi connection");
  expect(docker.activeUs <= firstboot.startedUs, "tree-firstboot.service started before Docker was up");
  expect(firstboot.activeUs <= tree.startedUs, "tree.service started before the images were loaded");
  bench.log(`units (s after boot): tree-config ${(config.activeUs / 1e6).toFixed(0)}, docker ${(docker.activeUs / 1e6).toFixed(0)}, ` +
    `images loaded ${(firstboot.activeUs / 1e6).toFixed(0)} (load took ${((firstboot.activeUs - firstboot.startedUs) / 1e6).toFixed(0)} s), tree ${(tree.activeUs / 1e6).toFixed(0)}`);

  // Images loaded: the shipped tarballs, arm64, and the first boot marked done.
  for (const image of ["tree-app:latest", "tree-gpio:latest"]) {
    const arch = await must(vm, ["docker", "image", "inspect", "--format", "{{.Architecture}}", image]);
    expect(arch.stdout.trim() === "arm64", `${image} is ${arch.stdout.trim()}`);
  }
  await must(vm, ["test", "-e", "/var/lib/tree-host/firstboot.done"]);

  // Secrets made: the operator password (tree.toml sets none), its note on the boot partition, the app's cookie secret.
  const password = await must(vm, ["cat", "/var/lib/tree-host/operator-password"]);
  expect(password.stdout.trim().length >= 8, "no operator password was made");
  const note = await must(vm, ["cat", "/boot/firmware/tree-operator-password.txt"]);
  expect(note.stdout.includes(password.stdout.trim()), "tree-operator-password.txt does not hold the password in force");
  await must(vm, ["docker", "exec", appContainer, "sh", "-c", "ls /var/lib/tree | grep -qi secret"]);

  // tree.toml read: its LED count and driver reach compose and the daemon; tree-status.txt written.
  const env = await must(vm, ["cat", "/etc/tree/compose.env"]);
  expect(env.stdout.includes(`TREE_LED_COUNT="${ledCount}"`) && env.stdout.includes('TREE_DRIVER="simulator"'), `compose.env does not carry tree.toml's settings:\n${env.stdout}`);
  const strip = await stripColours(vm);
  expect(strip.length === ledCount, `the daemon drives ${strip.length} LEDs, tree.toml says ${ledCount}`);
  await must(vm, ["test", "-s", "/boot/firmware/tree-status.txt"]);

  // Stack healthy from outside: the editor over the forwarded port, the sandbox ready, the daemon reached.
  const health = await httpGet(vm, "/api/health");
  const body = (await health.json()) as { sandbox?: { ready?: boolean; reason?: string }; tree?: { online?: boolean } };
  expect(health.status === 200, `GET /api/health answered ${health.status}`);
  expect(body.sandbox?.ready === true, `the sandbox is not ready: ${body.sandbox?.reason ?? JSON.stringify(body)}`);
  expect(body.tree?.online === true, `the app does not reach the daemon: ${JSON.stringify(body)}`);
  const editor = await httpGet(vm, "/editor");
  expect(editor.status === 200, `GET /editor answered ${editor.status}`);
  const status = await hostStatus(vm);
  bench.log(status ? `status.json: phase ${String(status.phase)}, images ${JSON.stringify(status.images)}` : "status.json: not written (tree-host has no status file yet)");
}

async function uploadLightsTheStrip(bench: Bench, vm: Vm): Promise<void> {
  const started = performance.now();
  const accepted = await upload(vm, smokeProgram);
  bench.log(`POST /upload → 201 ${accepted.uuid}`);
  await poll(`rgb(${smokeColour.join(", ")}) on every LED of the daemon's strip`, 5 * 60_000, async () => {
    const leds = await stripColours(vm);
    return leds.length === ledCount && leds.every((led) => led.join() === smokeColour.join()) ? true : undefined;
  }, 2000);
  bench.log(`the strip shows the program's colour ${seconds(started).toFixed(0)} s after the upload`);
  const view = await httpGet(vm, `/api/submissions/${accepted.uuid}`, { cookie: accepted.cookie });
  const record = (await view.json()) as { status?: string };
  expect(view.status === 200 && (record.status === "running" || record.status === "completed"), `the submission is ${view.status} ${record.status}`);
}

interface RunResult {
  status: string;
  frames: number;
  stdout: string;
  error?: string;
}

/** `tree-app run` inside the app container (its seccomp profile, uid, no capabilities), on the VM's aarch64 kernel. */
async function sandboxRun(vm: Vm, source: string, extra: readonly string[]): Promise<RunResult> {
  const path = `/tmp/emu-${Math.random().toString(16).slice(2)}.py`;
  await must(vm, ["docker", "exec", "-i", appContainer, "sh", "-c", `cat > ${path}`], { input: source });
  const answer = await vm.agent.run(["docker", "exec", appContainer, "tree-app", "run", path, "--led-count", String(ledCount), "--time-limit", "30", ...extra], { timeoutMs: 5 * 60_000 });
  const last = answer.stdout.trim().split("\n").at(-1) ?? "";
  try {
    return JSON.parse(last) as RunResult;
  } catch {
    throw new Error(`tree-app run printed no result (exit ${answer.code}): ${(answer.stdout + answer.stderr).slice(-500)}`);
  }
}

const probesDir = join(repoRoot, "tests", "integration", "redteam", "probes");
/** Red-team probes (tests/integration/redteam) that must be refused by the OS layer alone. */
const refusedProbes = [
  { probe: "loader-socket-tcp", what: "a network socket", source: () => readFileSync(join(probesDir, "loader-socket-tcp.py"), "utf8").replace("@@TCP_PORT@@", "80") },
  { probe: "fork", what: "fork", source: () => readFileSync(join(probesDir, "fork.py"), "utf8") },
  { probe: "read-shadow", what: "reading the host's files", source: () => readFileSync(join(probesDir, "read-shadow.py"), "utf8") },
];

async function sandboxOnAarch64(bench: Bench, vm: Vm): Promise<void> {
  const machine = await must(vm, ["uname", "-mr"]);
  expect(machine.stdout.includes("aarch64"), `the VM's kernel is ${machine.stdout.trim()}`);
  const app = await must(vm, ["docker", "exec", appContainer, "sh", "-c", "grep -E '^(Seccomp|NoNewPrivs|CapEff):' /proc/1/status"]);
  expect(/Seccomp:\s+2/.test(app.stdout) && /NoNewPrivs:\s+1/.test(app.stdout) && /CapEff:\s+0+\n/.test(`${app.stdout}\n`), `the app container is not confined as compose.yml says:\n${app.stdout}`);
  for (const { probe, what, source } of refusedProbes) {
    const checked = await sandboxRun(vm, source(), []);
    expect(checked.status === "rejected", `${probe} (${what}) passed the upload check: ${checked.status}`);
    const jailed = await sandboxRun(vm, source(), ["--skip-check"]);
    expect(!jailed.stdout.includes("ESCAPED:"), `${what} was allowed on aarch64 (${probe}): ${jailed.stdout.slice(0, 300)}`);
    expect(jailed.status === "failed", `${probe} (${what}) ended "${jailed.status}" in the jail, expected failed: ${jailed.error ?? ""}`);
    bench.log(`${what}: refused by the check and, with --skip-check, by the jail (${(jailed.error ?? "").slice(0, 100)})`);
  }
  const example = await sandboxRun(vm, defaultExample.code, []);
  expect(example.status === "completed" && example.frames > 0, `the editor's default example ended "${example.status}" with ${example.frames} frames: ${example.error ?? ""}`);
  bench.log(`the default example ran: ${example.frames} frame(s)`);
}

export async function firstBootGroup(bench: Bench): Promise<VmFiles | undefined> {
  const files = bench.freshGroup("first-boot", hotspotToml);
  let vm: Vm | undefined;
  let healthy = false;
  await bench.scenario("first boot", async () => {
    vm = (await bench.boot(files, 1)).vm;
    await firstBoot(bench, vm);
    healthy = true;
  });
  const needsStack = (name: string, body: (vm: Vm) => Promise<void>) =>
    healthy && vm ? bench.scenario(name, () => body(vm!)) : Promise.resolve(bench.skipped(name, "the first boot never reached a healthy stack"));
  await needsStack("upload lights the strip", (v) => uploadLightsTheStrip(bench, v));
  await needsStack("sandbox on aarch64", (v) => sandboxOnAarch64(bench, v));
  await needsStack("hotspot captive portal", (v) => hotspotCaptivePortal(bench, v));
  if (vm) await vm.shutdown();
  bench.current = undefined;
  return healthy ? files : undefined;
}
