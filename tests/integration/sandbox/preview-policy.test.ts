/**
 * A preview's program really runs below the tree's own run: the same program, through the real
 * sandbox with each policy, reads its own niceness (through a private module member, which only a
 * test that skips the upload check can reach).
 */
import { expect, test } from "vitest";
import { previewPolicy } from "../../../appliance/src/modules/preview/service.ts";
import { defaultPolicy } from "../../../appliance/src/sandbox/policy.ts";
import { runProgram } from "../../../appliance/src/sandbox/runner.ts";

test("a preview runs niced five levels below a tree run, with every other limit the same", async () => {
  const source = "import random\nos = random._os\nprint(os.getpriority(os.PRIO_PROCESS, 0))\n";
  const tree = await runProgram({ source, ledCount: 10, timeLimitMs: 10_000, skipCheck: true });
  const preview = await runProgram({ source, ledCount: 10, timeLimitMs: 10_000, skipCheck: true, policy: previewPolicy });
  expect(tree.status, tree.error).toBe("completed");
  expect(preview.status, preview.error).toBe("completed");
  // Niceness adds to the app's own, and the kernel stops at 19.
  const expected = Math.min(19, Number(tree.stdout) + 5);
  expect(Number(preview.stdout)).toBe(expected);
  expect({ ...previewPolicy.limits, niceLevel: 0 }).toEqual({ ...defaultPolicy.limits, niceLevel: 0 });
  expect({ ...previewPolicy, limits: null }).toEqual({ ...defaultPolicy, limits: null });
});
