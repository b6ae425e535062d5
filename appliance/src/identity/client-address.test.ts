import { describe, expect, it } from "vitest";
import { canonicalIp, isIpAddress } from "./client-address.ts";

describe("canonicalIp", () => {
  it("spells an IPv4 client the same whether the socket was IPv4 or dual-stack", () => {
    expect(canonicalIp("::ffff:10.42.0.5")).toBe("10.42.0.5");
    expect(canonicalIp("::FFFF:10.42.0.5")).toBe("10.42.0.5");
    expect(canonicalIp("10.42.0.5")).toBe("10.42.0.5");
    expect(canonicalIp(" 10.42.0.5 ")).toBe("10.42.0.5");
  });

  it("lower-cases IPv6 and leaves anything else alone", () => {
    expect(canonicalIp("FE80::1")).toBe("fe80::1");
    expect(canonicalIp("::ffff:999.1.1.1")).toBe("::ffff:999.1.1.1");
    expect(canonicalIp("unknown")).toBe("unknown");
  });

  it("tells addresses from other text", () => {
    for (const ip of ["10.42.0.5", "fe80::1", "::1"]) expect(isIpAddress(ip)).toBe(true);
    for (const text of ["10.42.0.256", "tree.local", "", "1.2.3", "../x"]) expect(isIpAddress(text)).toBe(false);
  });
});
