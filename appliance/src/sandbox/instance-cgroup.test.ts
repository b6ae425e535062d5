import { describe, expect, test } from "vitest";
import { cgroup2Mount, instanceCgroupName } from "./instance-cgroup.ts";

describe("instance cgroup", () => {
  test("finds cgroup v2 where it is mounted, on unified and hybrid hosts alike", () => {
    const unified = "30 23 0:26 / /sys/fs/cgroup rw,nosuid,nodev,noexec,relatime shared:4 - cgroup2 cgroup2 rw,nsdelegate\n";
    const hybrid =
      "34 25 0:29 / /sys/fs/cgroup/memory rw,relatime - cgroup cgroup rw,memory\n" +
      "41 25 0:36 / /sys/fs/cgroup/unified rw,relatime - cgroup2 cgroup2 rw\n";
    expect(cgroup2Mount(unified)).toBe("/sys/fs/cgroup");
    expect(cgroup2Mount(hybrid)).toBe("/sys/fs/cgroup/unified");
    expect(cgroup2Mount("34 25 0:29 / /sys/fs/cgroup/memory rw,relatime - cgroup cgroup rw,memory\n")).toBeUndefined();
  });

  test("one name per data directory, however it is spelled", () => {
    expect(instanceCgroupName("/var/lib/tree")).toBe(instanceCgroupName("/var/lib/tree/"));
    expect(instanceCgroupName("/var/lib/tree")).toBe(instanceCgroupName("/var/lib/../lib/tree"));
    expect(instanceCgroupName("/var/lib/tree")).not.toBe(instanceCgroupName("/var/lib/other"));
    expect(instanceCgroupName("/var/lib/tree")).toMatch(/^tree-app-[0-9a-f]{16}$/);
  });
});
