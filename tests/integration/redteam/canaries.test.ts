/**
 * The canaries must be able to fail: a program run on the host, outside any
 * sandbox, reaches every one of them and the suite's checks say so. Without
 * this, a green red-team run could mean broken canaries.
 */
import { spawnSync } from "node:child_process";
import { describe, expect, test } from "vitest";
import { plantCanaries } from "./canaries.ts";
import { canaryBreaches, fillPlaceholders, leaksOf } from "./probe-runs.ts";
import { processesOfUid } from "./uid-processes.ts";

const unsandboxedBreach = `
import os, socket
print(open("@@SECRET_PATH@@").read())
socket.create_connection(("127.0.0.1", @@TCP_PORT@@)).close()
socket.socket(socket.AF_INET, socket.SOCK_DGRAM).sendto(b"x", ("127.0.0.1", @@UDP_PORT@@))
unix = socket.socket(socket.AF_UNIX)
unix.connect("@@UNIX_SOCKET@@")
unix.close()
open("@@CANARY_DIR@@/pwned.txt", "w").write("pwned")
os.kill(@@CANARY_PID@@, 9)
`;

describe("canaries", () => {
  test("a program outside the sandbox trips every one", async () => {
    const canaries = await plantCanaries(process.getuid?.() === 0 ? 60_999 : undefined);
    try {
      expect(canaryBreaches({ report: canaries.report(), survivors: [] })).toEqual([]);
      const run = spawnSync("/usr/bin/python3", ["-I", "-c", fillPlaceholders(unsandboxedBreach, canaries)], { encoding: "utf8", timeout: 10_000 });
      expect(run.stderr).toBe("");
      expect(run.stdout).toContain(canaries.secret);
      await new Promise((resolve) => setTimeout(resolve, 100));
      const breaches = canaryBreaches({ report: canaries.report(), survivors: [] }).join("\n");
      expect(breaches).toContain("TCP connection");
      expect(breaches).toContain("UDP datagram");
      expect(breaches).toContain("Unix socket");
      expect(breaches).toContain("pwned.txt");
      expect(breaches).toContain("canary process of the sandbox uid was killed");
    } finally {
      await canaries.close();
    }
  });

  test("the canary process runs as the sandbox uid and carries the secret where /proc would show it", async () => {
    // Unprivileged, the sandbox keeps our own uid, and so does the canary.
    const uid = process.getuid?.() === 0 ? 60_998 : process.getuid!();
    const canaries = await plantCanaries(process.getuid?.() === 0 ? uid : undefined);
    try {
      expect(processesOfUid(uid)).toContain(canaries.pid);
      const { readFileSync } = await import("node:fs");
      expect(readFileSync(`/proc/${canaries.pid}/environ`, "latin1")).toContain(canaries.secret);
    } finally {
      await canaries.close();
    }
  });
});

describe("leak detection", () => {
  const secret = "canary-0123456789abcdef";
  const quiet = { status: "completed" as const, frames: 0, dropped: 0, rejected: 0, durationMs: 1, stdout: "", stderr: "" };

  test("a clean run has no leaks", () => {
    expect(leaksOf(quiet, [new Uint8Array(40)], secret)).toEqual([]);
  });

  test("the secret or an escape marker in the output is a leak", () => {
    expect(leaksOf({ ...quiet, stdout: `x ${secret} y` }, [], secret)).toEqual(["the secret appeared in stdout"]);
    expect(leaksOf({ ...quiet, error: "ESCAPED: forked" }, [], secret)[0]).toContain("reports an escape");
    expect(leaksOf({ ...quiet, stderr: "root:x:0:0:root:/root:/bin/bash" }, [], secret)[0]).toContain("passwd");
  });

  test("the secret spelled in red channels or one LED per frame is a leak", () => {
    const codes = [...secret].map((character) => character.charCodeAt(0));
    const inReds = Uint8Array.from(codes.flatMap((code) => [code, 0, 0, 100]));
    expect(leaksOf(quiet, [inReds], secret)).toEqual(["the frames spell the secret"]);
    const onePerFrame = codes.map((code) => Uint8Array.from([code, 0, 0, 100, 9, 9, 9, 9]));
    expect(leaksOf(quiet, onePerFrame, secret)).toEqual(["the frames spell the secret"]);
  });
});
