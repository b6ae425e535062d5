import { describe, expect, it } from "vitest";
import { PerAddressCount } from "./per-address-count.ts";

describe("PerAddressCount", () => {
  it("counts per address and forgets an address once its last connection is gone", () => {
    const counts = new PerAddressCount();
    counts.add("10.42.0.5");
    counts.add("10.42.0.5");
    counts.add("10.42.0.6");
    expect([counts.of("10.42.0.5"), counts.of("10.42.0.6"), counts.of("10.42.0.7")]).toEqual([2, 1, 0]);
    counts.remove("10.42.0.5");
    counts.remove("10.42.0.6");
    expect([counts.of("10.42.0.5"), counts.of("10.42.0.6"), counts.addresses]).toEqual([1, 0, 1]);
    // A stray extra remove never goes below zero or leaves an entry behind.
    counts.remove("10.42.0.6");
    counts.remove("10.42.0.5");
    expect([counts.of("10.42.0.5"), counts.of("10.42.0.6"), counts.addresses]).toEqual([0, 0, 0]);
  });
});
