import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { addressBlockList, BlockList, blockedAddressesFileName, blockListFileName } from "./block-list.ts";

const dataDir = () => mkdtempSync(join(tmpdir(), "tree-blocks-"));

describe("block lists", () => {
  it("keep user ids and addresses in separate files that survive a restart", async () => {
    const dir = dataDir();
    await new BlockList(dir).set("a".repeat(32), true);
    await addressBlockList(dir).set("10.42.0.66", true);
    expect(JSON.parse(readFileSync(join(dir, blockListFileName), "utf8"))).toEqual(["a".repeat(32)]);
    expect(JSON.parse(readFileSync(join(dir, blockedAddressesFileName), "utf8"))).toEqual(["10.42.0.66"]);
    expect(new BlockList(dir).has("a".repeat(32))).toBe(true);
    expect(addressBlockList(dir).has("10.42.0.66")).toBe(true);
    expect(addressBlockList(dir).has("a".repeat(32))).toBe(false);
  });

  it.each([
    ['["10.42.0.300"]'],
    ['["tree.local"]'],
    ['["::FFFF:10.0.0.1"]'],
    ['{"ip":"10.0.0.1"}'],
    ["not json"],
  ])("refuse to start from an address file holding %s rather than unblock everyone", (content) => {
    const dir = dataDir();
    writeFileSync(join(dir, blockedAddressesFileName), content);
    expect(() => addressBlockList(dir)).toThrow(new RegExp(blockedAddressesFileName));
  });
});
