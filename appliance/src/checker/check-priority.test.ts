/**
 * Checks somebody waits for (an upload, the editor, Try it) are served before
 * background ones (a stored program checked again before its run), so a busy
 * tree never makes a visitor's upload wait behind the queue's own checks.
 * Its own file: the checker's slots are module state.
 */
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect, test } from "vitest";
import { checkInChild } from "./check-child.ts";
import { maxConcurrentChecks } from "./limits.ts";

const bytes = new TextEncoder().encode("x = 1\n");
const ok = `echo '{"ok": true}'`;

test("a waiting visitor's check goes before a background check queued earlier", async () => {
  const log = join(mkdtempSync(join(tmpdir(), "check-priority-")), "started");
  const started = (name: string) => ["/bin/sh", "-c", `echo ${name} >> ${log}; ${ok}`, "sh"];
  // Every slot busy; the first frees after 0.3 s, the others much later.
  const blockers = Array.from({ length: maxConcurrentChecks }, (_, index) =>
    checkInChild(bytes, { maxInputBytes: 100, command: ["/bin/sh", "-c", `sleep ${index === 0 ? 0.3 : 3}; ${ok}`, "sh"] }),
  );
  await Bun.sleep(50);
  const background = checkInChild(bytes, { maxInputBytes: 100, background: true, command: started("background") });
  const visitor = checkInChild(bytes, { maxInputBytes: 100, command: started("visitor") });
  const verdicts = await Promise.all([...blockers, background, visitor]);
  expect(verdicts.every((verdict) => verdict.ok)).toBe(true);
  expect(readFileSync(log, "utf8").trim().split("\n")).toEqual(["visitor", "background"]);
});
