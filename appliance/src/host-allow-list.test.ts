import { describe, expect, it } from "vitest";
import { HostAllowList, hostOfHeader } from "./host-allow-list.ts";

describe("hostOfHeader", () => {
  it("takes the host out of a Host header, with or without a port", () => {
    expect(hostOfHeader("Tree.Local:8080")).toBe("tree.local");
    expect(hostOfHeader("tree.local.")).toBe("tree.local");
    expect(hostOfHeader("10.42.0.1")).toBe("10.42.0.1");
    expect(hostOfHeader("[FE80::1]:80")).toBe("fe80::1");
    expect(hostOfHeader("[::1]")).toBe("::1");
  });

  it("refuses what is not a Host", () => {
    for (const bad of ["", ":80", "tree.local:80:80", "tree.local:http", "[::1", "[not-v6]:80", "[::1]x", "::1", "tree.local:123456"]) {
      expect([bad, hostOfHeader(bad)]).toEqual([bad, null]);
    }
  });
});

describe("HostAllowList", () => {
  const hosts = new HostAllowList({ publicUrl: "http://xmas.example.org:8080/", machineHostname: "raspberrypi" });

  it("allows the tree's own names and IP literals, on any port", () => {
    for (const host of [
      "xmas.example.org",
      "XMAS.example.org:80",
      "localhost:5173",
      "tree.local",
      "raspberrypi",
      "raspberrypi.local:8080",
      "10.42.0.1",
      "10.42.0.1:8080",
      "192.168.1.23:80",
      "[::1]:8080",
      "[fe80::abcd]",
    ]) {
      expect([host, hosts.allows(host)]).toEqual([host, true]);
    }
  });

  it("refuses any other name: a rebinding page's own domain, a probe host, a look-alike", () => {
    for (const host of [
      "attacker.example",
      "attacker.example:8080",
      "connectivitycheck.gstatic.com",
      "captive.apple.com",
      "tree.local.attacker.example",
      "localhost.attacker.example",
      "example.org",
      "10.42.0.1.nip.io",
      "",
      "tree.local:80:80",
    ]) {
      expect([host, hosts.allows(host)]).toEqual([host, false]);
    }
  });

  it("lets a request without a Host header by (no browser sends one)", () => {
    expect(hosts.allows(null)).toBe(true);
  });

  it("without a publicUrl still knows its default names", () => {
    const bare = new HostAllowList({ machineHostname: "" });
    expect(bare.allowedNames.sort()).toEqual(["localhost", "tree.local"]);
    expect(bare.allows("xmas.example.org")).toBe(false);
    expect(new HostAllowList({ publicUrl: "http://[fd00::1]:8080/", machineHostname: "x" }).allows("[fd00::1]:8080")).toBe(true);
  });
});
