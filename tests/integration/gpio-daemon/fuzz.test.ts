/**
 * Fuzzes the real daemon process: thousands of random byte strings, random JSON
 * values, mutated frames and oversized lines, written in pieces cut at random
 * boundaries. Every line must get exactly one reply, in order, equal to what the
 * protocol module says about that line; the daemon must stay up and keep
 * serving new connections.
 */
import { connect } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { maxLineBytes } from "../../../protocol/limits.ts";
import { errorReply, okReply, parseRequestBytes } from "../../../protocol/messages.ts";
import { LineClient } from "../../../gpio-daemon/src/testing/line-client.ts";
import { spawnDaemon, type DaemonProcess } from "./daemon-process.ts";

const ledCount = 4;
let seed = 20261225;
const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
const int = (below: number) => Math.floor(random() * below);
const pick = <T>(items: readonly T[]): T => items[int(items.length)]!;

function randomBytes(): Uint8Array {
  const bytes = Uint8Array.from({ length: 1 + int(200) }, () => int(256));
  // Newlines would split the line; keep some brackets so the frame path is hit too.
  return bytes.map((b) => (b === 0x0a ? 0x5b : b));
}

function randomJson(depth = 0): unknown {
  const roll = random();
  if (depth > 3 || roll < 0.4) return pick([0, 1, 255, 256, -1, 1.5, 1e300, true, false, null, "", "info", "\u2028", "\ud800x"]);
  if (roll < 0.75) return Array.from({ length: int(6) }, () => randomJson(depth + 1));
  const object: Record<string, unknown> = {};
  for (let i = int(3); i > 0; i--) object[pick(["type", "x", "__proto__", "leds"])] = randomJson(depth + 1);
  if (random() < 0.3) object.type = pick(["info", "snapshot", "off", "reboot", 7]);
  return object;
}

const validFrame = () => JSON.stringify(Array.from({ length: ledCount }, () => [int(256), int(256), int(256), int(101)]));

function mutate(text: string): string {
  const at = int(text.length);
  const roll = random();
  if (roll < 0.33) return text.slice(0, at);
  if (roll < 0.66) return text.slice(0, at) + pick(["[", "]", ",", "9", "-", ".", "\"", "e", " ", "\u00e9", "\u0000"]) + text.slice(at + 1);
  return text.slice(0, at) + text.slice(at + 1);
}

const encoder = new TextEncoder();

/** What the daemon must answer for one line, from the protocol module and the one-writer rule (this client writes). */
function expectedReply(line: Uint8Array): string | { infoReply: true } {
  if (line.length > maxLineBytes) return errorReply(`line is longer than ${maxLineBytes} bytes`);
  const request = parseRequestBytes(line, ledCount);
  if (request.kind === "invalid") return errorReply(request.error);
  if (request.kind === "frame") return okReply;
  return request.command.type === "off" ? okReply : { infoReply: true };
}

describe("fuzzing the daemon process", () => {
  let daemon: DaemonProcess;
  beforeAll(async () => {
    daemon = await spawnDaemon(["--led-count", String(ledCount)]);
  });
  afterAll(async () => {
    await daemon.cleanup();
  });

  it("answers thousands of random lines one for one, in order, and stays up", async () => {
    const lines: Uint8Array[] = [];
    for (let i = 0; i < 6000; i++) {
      const roll = random();
      if (roll < 0.3) lines.push(randomBytes());
      else if (roll < 0.55) lines.push(encoder.encode(JSON.stringify(randomJson())));
      else if (roll < 0.8) lines.push(encoder.encode(mutate(validFrame())));
      else if (roll < 0.95) lines.push(encoder.encode(validFrame()));
      else if (roll < 0.999) lines.push(encoder.encode(pick(['{"type":"info"}', '{"type":"snapshot"}', '{"type":"off"}'])));
      else lines.push(encoder.encode("[".repeat(maxLineBytes + 1 + int(100_000))));
    }
    const stream = new Uint8Array(lines.reduce((sum, line) => sum + line.length + 1, 0));
    let at = 0;
    for (const line of lines) {
      stream.set(line, at);
      stream[at + line.length] = 0x0a;
      at += line.length + 1;
    }

    const client = await LineClient.open(daemon.socket);
    const reading = client.read(lines.length, 10_000);
    for (let offset = 0; offset < stream.length; ) {
      const size = 1 + int(random() < 0.2 ? 16 : 4096);
      await client.write(stream.subarray(offset, offset + size));
      offset += size;
    }
    const replies = await reading;
    expect(replies.length).toBe(lines.length);
    let accepted = 0;
    let rejected = 0;
    replies.forEach((reply, i) => {
      const expected = expectedReply(lines[i]!);
      if (typeof expected === "string") {
        expect(reply, `line ${i}`).toBe(expected);
        if (expected === okReply) accepted++;
        else rejected++;
      } else {
        expect(JSON.parse(reply).ok, `line ${i}`).toBe(true);
      }
    });
    // Both outcomes must be exercised, or the fuzz proves little.
    expect(accepted).toBeGreaterThan(500);
    expect(rejected).toBeGreaterThan(2500);
    await client.close();
  });

  it("survives clients that vanish mid-line, then serves a new one", async () => {
    for (let i = 0; i < 40; i++) {
      const socket = connect(daemon.socket);
      await new Promise<void>((resolve) => socket.once("connect", () => resolve()));
      socket.write(Uint8Array.from({ length: int(maxLineBytes * 2) }, () => 0x5b));
      socket.destroy();
    }
    const client = await LineClient.open(daemon.socket);
    expect(await client.request('{"type":"info"}')).toMatchObject({ ok: true, ledCount });
    expect(await client.request(validFrame())).toEqual({ ok: true });
    await client.close();
    expect(daemon.process.exitCode).toBe(null);
  });
});
