import { describe, expect, it } from "vitest";
import { formatDuration, formatEta, formatRunTime } from "./format.ts";

describe("formatDuration", () => {
  it("reads naturally at every scale", () => {
    expect(formatDuration(0)).toBe("now");
    expect(formatDuration(-3)).toBe("now");
    expect(formatDuration(0.4)).toBe("now");
    expect(formatDuration(42)).toBe("42 s");
    expect(formatDuration(60)).toBe("1 min");
    expect(formatDuration(95)).toBe("1 min 35 s");
    expect(formatDuration(3600)).toBe("1 h 0 min");
    expect(formatDuration(3725)).toBe("1 h 2 min");
  });
});

describe("formatEta", () => {
  it("says any moment now when the countdown has run out", () => {
    expect(formatEta(0)).toBe("any moment now");
    expect(formatEta(90)).toBe("in about 1 min 30 s");
  });
});

describe("formatRunTime", () => {
  it("shows tenths for short runs and whole durations for long ones", () => {
    expect(formatRunTime(0)).toBe("0.0 s");
    expect(formatRunTime(420)).toBe("0.4 s");
    expect(formatRunTime(9_940)).toBe("9.9 s");
    expect(formatRunTime(45_000)).toBe("45 s");
  });
});
