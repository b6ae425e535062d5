import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { LiveCheck, type PostCheck } from "./live-check.ts";

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

function harness(answer: (code: string) => Awaited<ReturnType<PostCheck>>) {
  let code = "";
  const sent: string[] = [];
  const problems: { line: number; error: string }[] = [];
  const check = new LiveCheck({
    post: async (text) => {
      sent.push(text);
      return answer(text);
    },
    currentCode: () => code,
    onProblem: (problem) => problems.push({ line: problem.line, error: problem.error }),
    delayMs: 500,
  });
  const type = (text: string) => {
    code = text;
    check.changed();
  };
  return { check, sent, problems, type };
}

describe("LiveCheck", () => {
  it("checks once typing pauses, and marks the problem the server names", async () => {
    const { sent, problems, type } = harness(() => ({ status: 200, body: { ok: false, error: "expected ':'", line: 2, column: 9 } }));
    type("for i in");
    await vi.advanceTimersByTimeAsync(200);
    type("for i in range(3)");
    await vi.advanceTimersByTimeAsync(499);
    expect(sent).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(sent).toEqual(["for i in range(3)"]);
    expect(problems).toEqual([{ line: 2, error: "expected ':'" }]);
  });

  it("drops an answer for code that has changed since it was sent", async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let code = "x = (";
    const problems: unknown[] = [];
    const check = new LiveCheck({
      post: async () => {
        await gate;
        return { status: 200, body: { ok: false, error: "'(' was never closed", line: 1, column: 5 } };
      },
      currentCode: () => code,
      onProblem: (problem) => problems.push(problem),
    });
    const pending = check.checkNow();
    code = "x = (1)";
    release();
    await pending;
    expect(problems).toEqual([]);
  });

  it("stops for good, silently, when the server has no /api/check", async () => {
    const { check, sent, problems, type } = harness(() => ({ status: 404, body: { code: "not_found", message: "Nothing at /api/check" } }));
    type("x = 1");
    await vi.advanceTimersByTimeAsync(500);
    type("x = 2");
    await vi.advanceTimersByTimeAsync(5000);
    expect(sent).toEqual(["x = 1"]);
    expect(problems).toEqual([]);
    expect(check.enabled).toBe(false);
  });

  it("pauses for Retry-After when refused, then checks again", async () => {
    let refuse = true;
    const { sent, type } = harness(() => (refuse ? { status: 429, body: { code: "rate_limited", message: "slow down" }, retryAfterSeconds: 10 } : { status: 200, body: { ok: true } }));
    type("x = 1");
    await vi.advanceTimersByTimeAsync(500);
    refuse = false;
    type("x = 2");
    await vi.advanceTimersByTimeAsync(500);
    expect(sent).toEqual(["x = 1"]);
    await vi.advanceTimersByTimeAsync(10_000);
    type("x = 3");
    await vi.advanceTimersByTimeAsync(500);
    expect(sent).toEqual(["x = 1", "x = 3"]);
  });

  it("does not send the same program twice or an empty one", async () => {
    const { sent, type } = harness(() => ({ status: 200, body: { ok: true } }));
    type("x = 1");
    await vi.advanceTimersByTimeAsync(500);
    type("x = 1");
    await vi.advanceTimersByTimeAsync(500);
    type("   ");
    await vi.advanceTimersByTimeAsync(500);
    expect(sent).toEqual(["x = 1"]);
  });
});
