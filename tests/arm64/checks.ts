/**
 * What the emulated-Pi smoke test asks of each arm64 build, one function per
 * check. Each returns a one-line summary or throws with what went wrong.
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { decodeWs2812, spiPulses } from "../../gpio-daemon/src/drivers/spi-decoding.ts";
import { spiClockHz } from "../../gpio-daemon/src/drivers/spi-encoding.ts";
import { describeEnd, ending, runToEnd, start, type Emulator } from "./qemu.ts";
import { connectWhenListening, emulatedReplyMs, type LineClient } from "./socket-client.ts";

export interface Builds {
  treeApp: string;
  treeGpio: string;
}

export interface CheckContext {
  emulator: Emulator;
  builds: Builds;
  /** A fresh temp directory for this CPU model. */
  dir: string;
}

const ledCount = 10;
/** A frame every LED of which differs, in the visitor's [R, G, B, L] form, at full level. */
const frame = Array.from({ length: ledCount }, (_, i) => [(i * 25) % 256, 255 - i * 20, (i * 7 + 3) % 256, 100]);
const frameLine = JSON.stringify(frame);
/** What a GRB strip receives for `frame` (no limiting: 10 LEDs stay far below the default budget). */
const expectedGrb = frame.flatMap(([r, g, b]) => [g!, r!, b!]);
const startTimeoutMs = 60_000;

async function withDaemon<T>(ctx: CheckContext, name: string, args: string[], body: (client: LineClient) => Promise<T>): Promise<T> {
  const socket = join(ctx.dir, `${name}.sock`);
  const daemon = start(ctx.emulator, ctx.builds.treeGpio, ["--socket", socket, "--led-count", String(ledCount), "--color-order", "GRB", ...args]);
  let exited = false;
  void daemon.child.exited.then(() => (exited = true));
  const tail = async () => (await daemon.stderr).trim().slice(-500);
  let result: T;
  try {
    const client = await connectWhenListening(socket, startTimeoutMs, () => !exited);
    try {
      result = await body(client);
    } finally {
      await client.close();
    }
  } catch (error) {
    if (!exited) daemon.child.kill("SIGKILL");
    await daemon.child.exited;
    throw new Error(`${(error as Error).message} (tree-gpio ${describeEnd(ending(daemon.child))}; stderr: ${await tail()})`);
  }
  daemon.child.kill("SIGTERM");
  await daemon.child.exited;
  if (daemon.child.exitCode !== 0) throw new Error(`tree-gpio did not stop cleanly on SIGTERM: ${describeEnd(ending(daemon.child))}; stderr: ${await tail()}`);
  return result;
}

function expectOk(reply: unknown, what: string): Record<string, unknown> {
  if (typeof reply !== "object" || reply === null || (reply as { ok?: unknown }).ok !== true) {
    throw new Error(`${what}: expected {"ok":true,...}, got ${JSON.stringify(reply).slice(0, 300)}`);
  }
  return reply as Record<string, unknown>;
}

/** tree-gpio on the simulator: a frame goes in, the snapshot shows it, SIGTERM stops it. */
export async function gpioSimulator(ctx: CheckContext): Promise<string> {
  return withDaemon(ctx, "simulator", ["--driver", "simulator", "--draw", "never"], async (client) => {
    const info = expectOk(await client.request('{"type":"info"}', emulatedReplyMs), "info");
    if (info.ledCount !== ledCount) throw new Error(`info says ${String(info.ledCount)} LEDs, expected ${ledCount}`);
    expectOk(await client.request(frameLine, emulatedReplyMs), "frame");
    const wrong = (await client.request(JSON.stringify(frame.slice(1)), emulatedReplyMs)) as { ok?: boolean; error?: string };
    if (wrong.ok !== false || !String(wrong.error).includes(String(ledCount))) throw new Error(`a short frame was not refused naming ${ledCount}: ${JSON.stringify(wrong)}`);
    const snapshot = expectOk(await client.request('{"type":"snapshot"}', emulatedReplyMs), "snapshot");
    const rgb = [...Buffer.from(String(snapshot.rgb), "base64")];
    const expected = frame.flatMap(([r, g, b]) => [r!, g!, b!]);
    if (JSON.stringify(rgb) !== JSON.stringify(expected)) throw new Error(`snapshot shows ${rgb.join(",")}, expected ${expected.join(",")}`);
    return `frame shown, short frame refused, snapshot matches, SIGTERM → exit 0`;
  });
}

/** tree-gpio on the spi driver writing a regular file: the file decodes, at WS2812 timing, to the GRB frame. */
export async function gpioSpiToFile(ctx: CheckContext): Promise<string> {
  const file = join(ctx.dir, "spi.bin");
  return withDaemon(ctx, "spi", ["--driver", "spi", "--spi-device", file], async (client) => {
    expectOk(await client.request(frameLine, emulatedReplyMs), "frame");
    const decoded = decodeWs2812(spiPulses(new Uint8Array(readFileSync(file)), spiClockHz));
    if (!decoded.ok) throw new Error(`the SPI bitstream breaks WS2812 timing: ${decoded.error}`);
    if (JSON.stringify([...decoded.bytes]) !== JSON.stringify(expectedGrb)) {
      throw new Error(`the SPI bitstream carries ${[...decoded.bytes].join(",")}, expected GRB ${expectedGrb.join(",")}`);
    }
    return `${readFileSync(file).length}-byte SPI frame decodes to the GRB frame, reset ${(decoded.resetNs / 1000).toFixed(0)} µs`;
  });
}

/** tree-gpio on the ws281x driver loads libtreews281x through FFI and refuses cleanly. */
export async function gpioWs281xRefuses(ctx: CheckContext): Promise<string> {
  const library = join(ctx.builds.treeGpio, "..", "libtreews281x-linux-arm64.so");
  if (!existsSync(library)) throw new Error(`${library} is missing: the build must put it beside tree-gpio`);
  const end = await runToEnd(ctx.emulator, ctx.builds.treeGpio, ["--driver", "ws281x", "--led-count", String(ledCount), "--socket", join(ctx.dir, "ws281x.sock")], startTimeoutMs);
  if (end.exitCode !== 1 || !end.stderr.includes("not a Raspberry Pi")) {
    throw new Error(`expected exit 1 and "not a Raspberry Pi", got ${describeEnd(end)}: ${end.stderr.trim().slice(-500)}`);
  }
  return `refused: ${end.stderr.trim().split("\n").pop()}`;
}

/** tree-app check: the upload-time verdict for a good and a forbidden program. */
export async function appCheck(ctx: CheckContext): Promise<string> {
  const good = join(ctx.dir, "good.py");
  const bad = join(ctx.dir, "bad.py");
  writeFileSync(good, "import math\nn = getLEDCount()\nsetLEDs([[int(127 + 127 * math.sin(i)), 0, 0, 100] for i in range(n)])\n");
  writeFileSync(bad, "import os\nos.system('true')\n");
  const verdicts: string[] = [];
  for (const [file, wantOk] of [[good, true], [bad, false]] as const) {
    // The check runs in the jail, which needs a reaper of its orphans: see qemuCommandAsPidOne.
    const end = await runToEnd(ctx.emulator, ctx.builds.treeApp, ["check", file], startTimeoutMs, true);
    if (end.exitCode !== 0) throw new Error(`tree-app check ${file}: ${describeEnd(end)}: ${end.stderr.trim().slice(-500)}`);
    const last = end.stdout.trim().split("\n").pop() ?? "";
    let verdict: { ok?: unknown };
    try {
      verdict = JSON.parse(last) as { ok?: unknown };
    } catch {
      throw new Error(`tree-app check printed no JSON verdict: ${end.stdout.slice(-300)}`);
    }
    if (verdict.ok !== wantOk) throw new Error(`tree-app check ${file}: expected ok=${wantOk}, got ${last}`);
    // A refusal must be the check's own verdict on the program, not a checker that could not run.
    if (!wantOk && !last.includes("import")) throw new Error(`tree-app check ${file}: refused for another reason than the forbidden import: ${last}`);
    verdicts.push(last.length > 90 ? `${last.slice(0, 90)}…` : last);
  }
  return `good program accepted, forbidden import refused (${verdicts[1]})`;
}

/** CPUs whose cores have ARMv8.1's LSE atomics (the canary's instruction). */
const hasLse = new Set(["cortex-a76"]);

/**
 * The emulator itself: an ARMv8.1 instruction must kill the canary on a
 * Cortex-A53/A72 with SIGILL and run on a Cortex-A76. If this fails, the other
 * checks could not catch a Bun build a Pi 3/4 cannot run.
 */
export async function emulatorTrapsNewInstructions(ctx: CheckContext, canary: string): Promise<string> {
  const end = await runToEnd(ctx.emulator, canary, [], startTimeoutMs);
  const trapped = describeEnd(end).startsWith("SIGILL");
  if (hasLse.has(ctx.emulator.cpu)) {
    if (end.exitCode !== 0) throw new Error(`the canary should run on ${ctx.emulator.cpu}: ${describeEnd(end)}`);
    return "ARMv8.1 canary runs (this CPU has LSE atomics)";
  }
  if (!trapped) throw new Error(`the ARMv8.1 canary was not trapped on ${ctx.emulator.cpu}: ${describeEnd(end)}`);
  return "ARMv8.1 canary dies with SIGILL, as it would on the real CPU";
}
