/**
 * The data directory's disk fills up while visitors upload: an upload that
 * cannot be stored gets 507 `insufficient_storage` with a sentence, leaves no
 * part of itself on disk (not a temp file, not a program without its record),
 * and every submission accepted before is still there, also after a restart.
 * The data dir is a small tmpfs mounted by the test (root only, as CI runs it).
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, openSync, readdirSync, rmdirSync, rmSync, closeSync, writeSync, ftruncateSync, fstatSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { startStack, type Stack } from "../app/stack.ts";
import { isRoot } from "../sandbox/helpers.ts";

const program = "setLEDs([RED] * getLEDCount())\n";
const page = 4096;

let stack: Stack;
let dataDir: string;
let filler: string;

async function upload(who: string, code = program): Promise<Response> {
  return fetch(`${stack.url}/upload`, {
    method: "POST",
    headers: { "content-type": "application/json", "user-agent": `disk-full-test ${who}` },
    body: JSON.stringify({ code }),
  });
}

async function statusOf(uuid: string): Promise<string | undefined> {
  const response = await fetch(`${stack.url}/api/submissions/${uuid}`);
  return response.status === 200 ? ((await response.json()) as { status: string }).status : undefined;
}

async function untilFinished(uuids: string[]): Promise<void> {
  const deadline = Date.now() + 30_000;
  for (const uuid of uuids) {
    while (!["completed", "failed"].includes((await statusOf(uuid)) ?? "")) {
      if (Date.now() > deadline) throw new Error(`${uuid} did not finish`);
      await Bun.sleep(100);
    }
  }
}

const appArgs = () => ["--data-dir", dataDir, "--idle-show", "false", "--min-show-seconds", "0"];

const uploadsDir = () => readdirSync(join(dataDir, "uploads")).sort();

/** The API answers from memory, so a finished run's record may still be on its way to disk. */
async function untilRecordsWritten(): Promise<string[]> {
  const deadline = Date.now() + 10_000;
  let previous = uploadsDir();
  for (;;) {
    await Bun.sleep(100);
    const listing = uploadsDir();
    const settled = !listing.some((name) => name.endsWith(".tmp")) && listing.join() === previous.join();
    if (settled) return listing;
    if (Date.now() > deadline) throw new Error(`records still being written: ${listing.join(", ")}`);
    previous = listing;
  }
}

/** Fills the tmpfs until a write fails, then frees `leavePages` pages of it. */
function fill(leavePages: number): void {
  const fd = openSync(filler, "a");
  const chunk = new Uint8Array(64 * 1024);
  try {
    for (;;) writeSync(fd, chunk);
  } catch (error) {
    expect((error as NodeJS.ErrnoException).code).toBe("ENOSPC");
  }
  // A short last write may have used part of a page; round down to whole pages, then free some.
  const size = fstatSync(fd).size;
  ftruncateSync(fd, Math.max(0, Math.floor(size / page) * page - leavePages * page));
  closeSync(fd);
}

describe.runIf(isRoot)("the data directory's disk is full", () => {
  beforeAll(async () => {
    const mountPoint = mkdtempSync(join(tmpdir(), "tree-disk-full-"));
    execFileSync("mount", ["-t", "tmpfs", "-o", "size=2m,mode=0700", "tmpfs", mountPoint]);
    dataDir = join(mountPoint, "data");
    filler = join(mountPoint, "filler");
    // No last-frame hold (15 s per program by default): the three runs should end back to back.
    stack = await startStack({ appArgs: appArgs() });
  });

  afterAll(async () => {
    await stack?.stop();
    const mountPoint = join(dataDir, "..");
    execFileSync("umount", [mountPoint]);
    rmdirSync(mountPoint);
  });

  test("an upload gets 507 with a sentence, nothing half-written, nothing lost", async () => {
    const accepted: string[] = [];
    for (const who of ["a", "b", "c"]) {
      const answer = await upload(who);
      expect(answer.status).toBe(201);
      accepted.push(((await answer.json()) as { uuid: string }).uuid);
    }
    // Let them run first: a run's own records need the disk too.
    await untilFinished(accepted);
    const before = await untilRecordsWritten();

    // Not a page left, and then one page: enough for the program but not its record.
    for (const leavePages of [0, 1]) {
      fill(leavePages);
      const refused = await upload(`full-${leavePages}`);
      expect(refused.status).toBe(507);
      const body = (await refused.json()) as { code: string; message: string };
      expect(body.code).toBe("insufficient_storage");
      expect(body.message).toMatch(/^The tree's storage is full, .*\.$/);
      expect(uploadsDir()).toEqual(before);
      rmSync(filler);
    }

    for (const uuid of accepted) expect(await statusOf(uuid)).toBe("completed");
    const afterwards = await upload("after");
    expect(afterwards.status).toBe(201);
    accepted.push(((await afterwards.json()) as { uuid: string }).uuid);

    await stack.stopApp("SIGTERM");
    await stack.startApp(appArgs());
    expect(stack.appOutput()).toContain("4 submissions");
    for (const uuid of accepted) expect(await statusOf(uuid)).toBeDefined();
  });
});
