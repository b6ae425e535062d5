import { lstatSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { Value } from "@sinclair/typebox/value";
import { maxLineBytes } from "../../protocol/limits.ts";
import { InfoReplySchema, SnapshotReplySchema } from "../../protocol/messages.ts";
import type { LedDriver } from "./drivers/driver.ts";
import { SimulatorDriver } from "./drivers/simulator.ts";
import { busyError } from "./handlers.ts";
import { maxClients } from "./server.ts";
import { LineClient } from "./testing/line-client.ts";
import { startTestDaemon, uniformFrame, type TestDaemon } from "./testing/test-daemon.ts";

const running: TestDaemon[] = [];
const clients: LineClient[] = [];
afterEach(async () => {
  for (const client of clients.splice(0)) await client.close();
  for (const daemon of running.splice(0)) await daemon.stop();
});

async function daemon(options: Parameters<typeof startTestDaemon>[0] = {}) {
  const started = await startTestDaemon(options);
  running.push(started);
  return started;
}
async function client(path: string) {
  const opened = await LineClient.open(path);
  clients.push(opened);
  return opened;
}
const rgbOf = (snapshot: Record<string, unknown>) => [...Buffer.from(snapshot.rgb as string, "base64")];

describe("the daemon over a real Unix socket", () => {
  it("answers a 49-LED frame to a 50-LED daemon with an error naming 50, then accepts a valid frame on the same connection", async () => {
    const { path } = await daemon({ ledCount: 50 });
    const c = await client(path);
    const reply = await c.request(uniformFrame(49));
    expect(reply.ok).toBe(false);
    expect(reply.error).toContain("50");
    expect(reply.error).toBe("expected 50 leds, got 49");
    expect(await c.request(uniformFrame(50))).toEqual({ ok: true });
  });

  const led = (state: string) => `[${state}${",[0,0,0,0]".repeat(2)}]`;
  it.each([
    ["too few leds", uniformFrame(2), "expected 3 leds, got 2"],
    ["too many leds", uniformFrame(4), "expected 3 leds, got 4"],
    ["an empty frame", "[]", "expected 3 leds, got 0"],
    ["three values", led("[1,2,3]"), "led 0: expected [R, G, B, L], got 3 values"],
    ["five values", led("[1,2,3,4,5]"), "led 0: expected [R, G, B, L], got 5 values"],
    ["a bare number", led("7"), "led 0: expected [R, G, B, L], got 7"],
    ["a float", led("[1.5,0,0,0]"), "led 0: R=1.5 is not an integer"],
    ["a boolean", led("[0,true,0,0]"), "led 0: G=true is not an integer"],
    ["a string", led('[0,0,"9",0]'), 'led 0: B="9" is not an integer'],
    ["null", led("[0,0,0,null]"), "led 0: L=null is not an integer"],
    ["a nested array", led("[[0],0,0,0]"), "led 0: R=an array is not an integer"],
    ["an object", led("[0,{},0,0]"), "led 0: G=an object is not an integer"],
    ["R over 255", led("[256,0,0,0]"), "led 0: R=256 is out of range 0-255"],
    ["G over 255", "[[0,0,0,0],[0,300,0,0],[0,0,0,0]]", "led 1: G=300 is out of range 0-255"],
    ["a negative", led("[0,0,-1,0]"), "led 0: B=-1 is out of range 0-255"],
    ["L over 100", "[[0,0,0,0],[0,0,0,0],[0,0,0,101]]", "led 2: L=101 is out of range 0-100"],
    ["malformed JSON", "[[0,0,0,0],[0,0,0,0],[0,0,0,0]", "malformed JSON"],
    ["an unknown command", '{"type":"reboot"}', 'unknown command "reboot" (known: info, snapshot, off)'],
    ["a command with extra fields", '{"type":"info","leds":1}', "a command is"],
    ["a command without type", "{}", "a command is"],
    ["a bare string", '"info"', "expected a frame"],
    ["an empty line", "", "empty line"],
    ["non-ASCII junk", "\u00ff\u00fe[", "expected a frame"],
  ])("rejects %s with a message that says what is wrong, and keeps the connection", async (_name, line, message) => {
    const { path } = await daemon({ ledCount: 3 });
    const c = await client(path);
    const reply = await c.request(line);
    expect(reply.ok).toBe(false);
    expect(reply.error as string).toContain(message);
    expect(await c.request(uniformFrame(3))).toEqual({ ok: true });
    expect(await c.request('{"type":"info"}')).toMatchObject({ ok: true, ledCount: 3 });
  });

  it("answers an oversized line once, skips the rest of it, and keeps the connection", async () => {
    const { path } = await daemon({ ledCount: 3 });
    const c = await client(path);
    // Sent in pieces: the daemon must not wait for the newline to answer, nor buffer the line.
    const piece = "[".repeat(16 * 1024);
    for (let sent = 0; sent <= maxLineBytes + piece.length; sent += piece.length) await c.write(piece);
    const [early] = await c.read(1);
    expect(JSON.parse(early!)).toEqual({ ok: false, error: `line is longer than ${maxLineBytes} bytes` });
    await c.write(`${piece}\n${uniformFrame(3)}\n`);
    expect((await c.read(1)).map((line) => JSON.parse(line))).toEqual([{ ok: true }]);
    // A whole oversized line in one write gets the same single answer.
    await c.write(`${" ".repeat(maxLineBytes + 1)}\n{"type":"info"}\n`);
    const [tooLong, info] = (await c.read(2)).map((line) => JSON.parse(line));
    expect(tooLong.error).toBe(`line is longer than ${maxLineBytes} bytes`);
    expect(info).toMatchObject({ ok: true, ledCount: 3 });
  });

  it("accepts a line of exactly maxLineBytes", async () => {
    const { path } = await daemon({ ledCount: 3 });
    const c = await client(path);
    const frame = uniformFrame(3);
    const padded = frame + " ".repeat(maxLineBytes - frame.length);
    expect(await c.request(padded)).toEqual({ ok: true });
  });

  it("answers pipelined lines one for one, in order, across arbitrary write boundaries", async () => {
    const { path, strip } = await daemon({ ledCount: 5 });
    const c = await client(path);
    const lines: string[] = [];
    for (let i = 0; i < 600; i++) {
      lines.push(i % 3 === 2 ? '{"type":"info"}' : i % 3 === 1 ? uniformFrame(4) : uniformFrame(5, [i % 256, 0, 0, 100]));
    }
    const stream = Buffer.from(`${lines.join("\n")}\n`);
    for (let at = 0; at < stream.length; ) {
      const size = 1 + ((at * 7919) % 700);
      await c.write(stream.subarray(at, at + size));
      at += size;
    }
    const replies = (await c.read(lines.length)).map((line) => JSON.parse(line));
    replies.forEach((reply, i) => {
      if (i % 3 === 0) expect(reply).toEqual({ ok: true });
      if (i % 3 === 1) expect(reply).toEqual({ ok: false, error: "expected 5 leds, got 4" });
      if (i % 3 === 2) expect(reply).toMatchObject({ ok: true, ledCount: 5 });
    });
    expect(strip.frames).toBe(200);
  });

  it("keeps every reply for a client that writes a lot before it reads", async () => {
    const { path } = await daemon({ ledCount: 1 });
    const c = await client(path);
    const count = 100_000;
    // Not reading while writing: the replies back up until the daemon must stop reading too.
    c.socket.pause();
    const written = c.write(`[[1,2,3,4]]\n`.repeat(count));
    await new Promise((resolve) => setTimeout(resolve, 200));
    c.socket.resume();
    await written;
    const replies = await c.read(count);
    expect(replies.length).toBe(count);
    expect(new Set(replies)).toEqual(new Set(['{"ok":true}']));
  });

  it("stops mid-chunk for a client that does not read, and resumes exactly where it stopped", async () => {
    const { path } = await daemon({ ledCount: 1 });
    const c = await client(path);
    // Each empty line earns a ~90-byte error: one 64 KiB chunk would make megabytes of replies.
    const count = 150_000;
    c.socket.pause();
    const written = c.write(`${"\n".repeat(count - 1)}{"type":"info"}\n`);
    await new Promise((resolve) => setTimeout(resolve, 200));
    c.socket.resume();
    await written;
    const replies = await c.read(count);
    expect(new Set(replies.slice(0, -1)).size).toBe(1);
    expect(JSON.parse(replies[0]!).error).toMatch(/^empty line/);
    expect(JSON.parse(replies.at(-1)!)).toMatchObject({ ok: true, ledCount: 1 });
  });

  it("reports what the strip shows: colour order undone, brightness and limiter applied", async () => {
    // 2 LEDs at full white would need 2 + 120 mA; the budget is 62 mA.
    const { path } = await daemon({ ledCount: 2, colorOrder: "GRB", psuAmps: 0.062 });
    const c = await client(path);
    expect(await c.request("[[255,0,0,100],[0,0,255,50]]")).toEqual({ ok: true });
    const small = await c.request('{"type":"snapshot"}');
    expect(rgbOf(small)).toEqual([255, 0, 0, 0, 0, 127]);
    expect(small).toMatchObject({ limited: false, scale: 1, frames: 1 });
    expect(await c.request("[[255,255,255,100],[255,255,255,100]]")).toEqual({ ok: true });
    const limited = await c.request('{"type":"snapshot"}');
    expect(limited).toMatchObject({ limited: true, requestedMilliamps: 122, frames: 2 });
    expect(limited.milliamps as number).toBeLessThanOrEqual(62);
    expect(rgbOf(limited).every((v) => v === 127)).toBe(true);
  });

  it("answers info and snapshot in the shapes protocol/messages.ts publishes", async () => {
    const { path } = await daemon({ ledCount: 3, psuAmps: 0.05 });
    const c = await client(path);
    const info = await c.request('{"type":"info"}');
    expect(Value.Check(InfoReplySchema, info)).toBe(true);
    expect(info).toMatchObject({ protocol: 1, ledCount: 3, driver: "simulator", colorOrder: "GRB", budgetMilliamps: 50, maxLineBytes });
    expect(Value.Check(SnapshotReplySchema, await c.request('{"type":"snapshot"}'))).toBe(true);
    await c.request(uniformFrame(3, [255, 255, 255, 100]));
    const snapshot = await c.request('{"type":"snapshot"}');
    expect(Value.Check(SnapshotReplySchema, snapshot)).toBe(true);
    expect(snapshot.limited).toBe(true);
  });

  it("hands the driver wire bytes in the strip's colour order", async () => {
    const { path, driver } = await daemon({ ledCount: 1, colorOrder: "BRG" });
    const c = await client(path);
    expect(await c.request("[[1,2,3,100]]")).toEqual({ ok: true });
    expect([...(driver as SimulatorDriver).wire]).toEqual([3, 1, 2]);
  });

  it("serves one writer: a second client gets busy for frames and off, info and snapshot still work", async () => {
    const { path } = await daemon({ ledCount: 2 });
    const writer = await client(path);
    const other = await client(path);
    // Connecting alone does not take the strip: the first to write does.
    expect(await other.request('{"type":"info"}')).toMatchObject({ ok: true });
    expect(await writer.request("[[9,9,9,100],[9,9,9,100]]")).toEqual({ ok: true });
    expect(await other.request("[[1,1,1,100],[1,1,1,100]]")).toEqual({ ok: false, error: busyError });
    expect(await other.request('{"type":"off"}')).toEqual({ ok: false, error: busyError });
    expect(rgbOf(await other.request('{"type":"snapshot"}'))).toEqual([9, 9, 9, 9, 9, 9]);
    expect(await writer.request('{"type":"off"}')).toEqual({ ok: true });
    expect(await writer.request("[[5,5,5,100],[5,5,5,100]]")).toEqual({ ok: true });
    // The writer goes away: the strip goes dark and the role is free.
    await writer.close();
    let snapshot = await other.request('{"type":"snapshot"}');
    for (let tries = 0; tries < 50 && rgbOf(snapshot).some((v) => v > 0); tries++) {
      await new Promise((resolve) => setTimeout(resolve, 10));
      snapshot = await other.request('{"type":"snapshot"}');
    }
    expect(rgbOf(snapshot)).toEqual([0, 0, 0, 0, 0, 0]);
    expect(await other.request("[[1,1,1,100],[1,1,1,100]]")).toEqual({ ok: true });
  });

  it(`refuses more than ${maxClients} clients with a reply, and serves again once one leaves`, async () => {
    const { path } = await daemon({ ledCount: 1 });
    const open = await Promise.all(Array.from({ length: maxClients }, () => client(path)));
    const extra = await client(path);
    const [refusal] = await extra.read(1);
    expect(JSON.parse(refusal!).error).toMatch(/^busy: \d+ clients/);
    await open[0]!.close();
    await new Promise((resolve) => setTimeout(resolve, 20));
    const late = await client(path);
    expect(await late.request('{"type":"info"}')).toMatchObject({ ok: true });
  });

  it("keeps replies in order when the driver renders asynchronously", async () => {
    const rendered: number[] = [];
    const slow = (options: { ledCount: number }): LedDriver => ({
      name: "slow",
      render: async (wire) => {
        const first = wire[0]!;
        await new Promise((resolve) => setTimeout(resolve, first % 3));
        rendered.push(first);
      },
      allOff: () => {},
      close: () => {},
    });
    const { path } = await daemon({ ledCount: 1, colorOrder: "RGB", driver: slow });
    const c = await client(path);
    const lines = Array.from({ length: 30 }, (_, i) => (i % 5 === 4 ? '{"type":"info"}' : `[[${i},0,0,100]]`));
    await c.write(`${lines.join("\n")}\n`);
    const replies = (await c.read(lines.length)).map((line) => JSON.parse(line));
    replies.forEach((reply, i) => expect(reply.driver === "slow").toBe(i % 5 === 4));
    expect(rendered).toEqual(lines.flatMap((line, i) => (i % 5 === 4 ? [] : [i])));
  });

  it("answers a driver failure with an error, darkens the strip, and keeps serving", async () => {
    let failNext = false;
    let offs = 0;
    const flaky = (): LedDriver => ({
      name: "flaky",
      render: () => {
        if (failNext) throw new Error("SPI write failed");
      },
      allOff: () => {
        offs++;
      },
      close: () => {},
    });
    const { path } = await daemon({ ledCount: 1, driver: flaky });
    const c = await client(path);
    failNext = true;
    const offsBefore = offs;
    expect(await c.request("[[1,2,3,100]]")).toEqual({ ok: false, error: "the LED driver failed: SPI write failed" });
    expect(offs).toBe(offsBefore + 1);
    const failed = await c.request('{"type":"snapshot"}');
    expect(rgbOf(failed)).toEqual([0, 0, 0]);
    expect(failed.driverError).toBe("SPI write failed");
    failNext = false;
    expect(await c.request("[[1,2,3,100]]")).toEqual({ ok: true });
    expect((await c.request('{"type":"snapshot"}')).driverError).toBeNull();
  });
});

describe("the socket file", () => {
  it("is created with mode 0660 and removed on close", async () => {
    const started = await startTestDaemon({ ledCount: 1 });
    expect(lstatSync(started.path).mode & 0o777).toBe(0o660);
    await started.server.close();
    expect(() => lstatSync(started.path)).toThrow();
    await started.stop();
  });

  it("replaces a stale socket left by a dead daemon", async () => {
    const first = await daemon({ ledCount: 1 });
    const stalePath = join(first.dir, "stale.sock");
    // A socket file nobody listens on, as a killed process leaves it: bound, never unlinked.
    const bind = Bun.spawnSync(["/usr/bin/python3", "-c", "import socket, sys; socket.socket(socket.AF_UNIX).bind(sys.argv[1])", stalePath]);
    expect(bind.exitCode).toBe(0);
    expect(lstatSync(stalePath).isSocket()).toBe(true);
    const second = await daemon({ ledCount: 1, path: stalePath });
    const c = await client(second.path);
    expect(await c.request('{"type":"info"}')).toMatchObject({ ok: true });
  });

  it("refuses to start over a live daemon, which keeps working", async () => {
    const live = await daemon({ ledCount: 1 });
    await expect(startTestDaemon({ ledCount: 1, path: live.path })).rejects.toThrow(/another daemon is answering/);
    const c = await client(live.path);
    expect(await c.request('{"type":"info"}')).toMatchObject({ ok: true });
  });

  it("refuses to replace a file that is not a socket", async () => {
    const first = await daemon({ ledCount: 1 });
    const notSocket = join(first.dir, "precious.txt");
    writeFileSync(notSocket, "keep me");
    await expect(startTestDaemon({ ledCount: 1, path: notSocket })).rejects.toThrow(/is not a socket/);
  });
});
