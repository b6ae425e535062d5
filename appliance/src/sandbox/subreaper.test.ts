import { describe, expect, test } from "vitest";
import { becomeSubreaper, childrenOf } from "./subreaper.ts";

describe("subreaper", () => {
  test("this process can become the subreaper of what it starts", () => {
    expect(becomeSubreaper()).toBeUndefined();
  });

  test("children are found the same way with or without the kernel's children files", async () => {
    const child = Bun.spawn(["sleep", "5"]);
    try {
      expect(childrenOf(process.pid)).toContain(child.pid);
      expect(childrenOf(process.pid, false)).toContain(child.pid);
    } finally {
      child.kill("SIGKILL");
      await child.exited;
    }
  });
});
