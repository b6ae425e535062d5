/**
 * The red-team suite: every hostile program in probes/ runs twice against the
 * real runner, bubblewrap and seccomp: once through the upload-time check and
 * once with --skip-check, so each layer is shown to hold on its own. The
 * table of outcomes is expectations.ts; the canaries are canaries.ts.
 */
import { readdirSync } from "node:fs";
import { describe, expect, test } from "vitest";
import { probeTable, type ProbeExpectation } from "./expectations.ts";
import { canaryBreaches, probeDir, probeSource, runProbe, type ProbeRun } from "./probe-runs.ts";
import { Slots } from "./slots.ts";

/** Two cores: two sandboxes at a time keep the suite fast without starving the rest. */
const slots = new Slots(2);

const probeFiles = readdirSync(probeDir)
  .filter((name) => name.endsWith(".py"))
  .map((name) => name.slice(0, -3))
  .sort();

describe("the probe table", () => {
  test("every probe file has a row and every row a file", () => {
    expect(probeFiles).toEqual(Object.keys(probeTable).sort());
  });

  test("at least 40 probes, covering every category", () => {
    expect(probeFiles.length).toBeGreaterThanOrEqual(40);
    const categories = new Set(Object.values(probeTable).map((row) => row.category));
    expect([...categories].sort()).toEqual(["file-read", "file-write", "frame-channel", "import-bypass", "network", "process", "resources"]);
  });

  test.each(probeFiles)("%s says in its header what it tries and what must happen at each layer", (name) => {
    const header = probeSource(name);
    expect(header).toMatch(/^# Tries: /m);
    expect(header).toMatch(/^# Check layer: /m);
    expect(header).toMatch(/^# (Sandbox layer|Both layers)/m);
  });
});

function describeRun(run: ProbeRun): string {
  const { result } = run;
  return JSON.stringify({ ...result, stdout: result.stdout.slice(-600), stderr: result.stderr.slice(-600) }, null, 1);
}

function expectContained(name: string, run: ProbeRun, statuses: readonly string[], row: ProbeExpectation) {
  const breaches = [...canaryBreaches(run), ...run.leaks];
  expect(breaches, `${name} reached a canary:\n${describeRun(run)}`).toEqual([]);
  expect(statuses, `${name} ended as ${run.result.status}, expected ${statuses.join(" or ")}:\n${describeRun(run)}`).toContain(run.result.status);
  if (row.noFrames === true) expect(run.result.frames, `${name} got frames accepted`).toBe(0);
}

describe.concurrent.each(Object.entries(probeTable))("probe %s", (name, row) => {
  test("through the upload-time check", async () => {
    const run = await slots.with(() => runProbe(name, false));
    if (row.checked === "rejected") {
      expect(run.result.status, `${name} passed the check:\n${describeRun(run)}`).toBe("rejected");
      expect(run.result.error).toMatch(/^line \d+: /);
      if (row.rejectedFor !== undefined) expect(run.result.error, `${name} was rejected by another rule`).toMatch(row.rejectedFor);
      expect(canaryBreaches(run)).toEqual([]);
    } else {
      expectContained(name, run, row.checked, row);
    }
  });

  test("with --skip-check: the OS layer alone contains it", async () => {
    const run = await slots.with(() => runProbe(name, true));
    expectContained(name, run, row.sandboxed, row);
    if (row.sandboxedReaches !== undefined) {
      expect(run.result.stdout, `${name} never got what it aimed for, so this run proves no OS-layer containment:\n${describeRun(run)}`).toMatch(row.sandboxedReaches);
    }
  });
});
