/**
 * What the scenarios ask the running appliance, through the test agent (as root in the
 * VM) or over the forwarded HTTP port: units, containers, the daemon's strip, the host
 * status file.
 */
import { sleep } from "../containers/shell.ts";
import type { Answer } from "./agent-client.ts";
import type { Vm } from "./vm.ts";

export const appContainer = "tree-app";
export const gpioContainer = "tree-gpio";
export const statusPath = "/var/lib/tree-host/status.json";

export function expect(condition: boolean, message: string): asserts condition {
  if (!condition) throw new Error(message);
}

/** Runs argv in the VM; a non-zero exit throws with its output. */
export async function must(vm: Vm, argv: readonly string[], options: { timeoutMs?: number; input?: string } = {}): Promise<Answer> {
  const answer = await vm.agent.run(argv, options);
  if (answer.code !== 0) throw new Error(`${argv.join(" ")} exited ${answer.code}: ${(answer.stderr || answer.stdout).trim().slice(-600)}`);
  return answer;
}

/** Polls `probe` every few seconds until it returns a value; the error says what was awaited and the last reason. */
export async function poll<T>(what: string, timeoutMs: number, probe: () => Promise<T | undefined>, everyMs = 3000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last = "";
  while (Date.now() < deadline) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (error) {
      last = (error as Error).message;
    }
    await sleep(everyMs);
  }
  throw new Error(`gave up after ${Math.round(timeoutMs / 1000)} s waiting for ${what}${last ? ` (last: ${last})` : ""}`);
}

/** `docker inspect` state + health of a container, e.g. "running healthy", or "absent". */
export async function containerState(vm: Vm, name: string): Promise<string> {
  const answer = await vm.agent.run(["docker", "inspect", "--format", "{{.State.Status}} {{if .State.Health}}{{.State.Health.Status}}{{end}}", name], { timeoutMs: 60_000 });
  return answer.code === 0 ? answer.stdout.trim() : "absent";
}

export async function stackHealthy(vm: Vm): Promise<boolean> {
  return (await containerState(vm, appContainer)) === "running healthy" && (await containerState(vm, gpioContainer)) === "running healthy";
}

export interface UnitTimes {
  state: string;
  /** Monotonic µs when it left "inactive" (started activating) and entered "active"; 0 if never. */
  startedUs: number;
  activeUs: number;
}

export async function unitTimes(vm: Vm, unit: string): Promise<UnitTimes> {
  const answer = await must(vm, ["systemctl", "show", unit, "--property=ActiveState,InactiveExitTimestampMonotonic,ActiveEnterTimestampMonotonic"]);
  const value = (key: string) => answer.stdout.split("\n").find((line) => line.startsWith(`${key}=`))?.slice(key.length + 1) ?? "";
  return { state: String(value("ActiveState")), startedUs: Number(value("InactiveExitTimestampMonotonic")), activeUs: Number(value("ActiveEnterTimestampMonotonic")) };
}

export interface Snapshot {
  rgb: string;
  frames: number;
}

/** What the daemon's simulated strip shows, asked through its socket inside its container. */
export async function stripColours(vm: Vm): Promise<number[][]> {
  const answer = await must(vm, ["docker", "exec", gpioContainer, "/usr/local/bin/tree-probe", "socket", "/run/tree/gpio.sock", '{"type":"snapshot"}'], { timeoutMs: 60_000 });
  const snapshot = JSON.parse(answer.stdout.trim().split("\n").at(-1) ?? "{}") as Snapshot;
  const bytes = Buffer.from(snapshot.rgb ?? "", "base64");
  const leds: number[][] = [];
  for (let i = 0; i + 2 < bytes.length; i += 3) leds.push([bytes[i]!, bytes[i + 1]!, bytes[i + 2]!]);
  return leds;
}

/** The host status file (COMMON contract), or undefined while it does not exist. */
export async function hostStatus(vm: Vm): Promise<Record<string, unknown> | undefined> {
  const answer = await vm.agent.run(["cat", statusPath], { timeoutMs: 30_000 });
  if (answer.code !== 0) return undefined;
  return JSON.parse(answer.stdout) as Record<string, unknown>;
}

/** GET over the forwarded port, with a deadline (the guest is slow under emulation). */
export async function httpGet(vm: Vm, path: string, headers: Record<string, string> = {}): Promise<Response> {
  return await fetch(vm.url(path), { headers, signal: AbortSignal.timeout(60_000), redirect: "manual" });
}

export interface Accepted {
  uuid: string;
  cookie: string;
}

/** POST /upload as a visitor would (JSON); returns the submission and the visitor's cookie. */
export async function upload(vm: Vm, code: string, cookie?: string): Promise<Accepted> {
  const response = await fetch(vm.url("/upload"), {
    method: "POST",
    headers: { "content-type": "application/json", accept: "application/json", ...(cookie ? { cookie } : {}) },
    body: JSON.stringify({ code }),
    signal: AbortSignal.timeout(120_000),
  });
  const text = await response.text();
  expect(response.status === 201, `POST /upload answered ${response.status}: ${text.slice(0, 300)}`);
  const { uuid } = JSON.parse(text) as { uuid: string };
  return { uuid, cookie: response.headers.get("set-cookie")?.split(";")[0] ?? cookie ?? "" };
}
