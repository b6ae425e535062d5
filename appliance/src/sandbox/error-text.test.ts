import { describe, expect, test } from "vitest";
import { lastException, lastLine, maxErrorLines } from "./error-text.ts";

describe("the error taken from stderr", () => {
  test("a traceback's exception is kept whole, type included", () => {
    const stderr = 'Traceback (most recent call last):\n  File "program.py", line 2, in <module>\n    raise ValueError("first\\nsecond")\nValueError: first\nsecond\n';
    expect(lastException(stderr)).toBe("ValueError: first\nsecond");
  });

  test("the last of several tracebacks is the one shown", () => {
    const stderr = "Traceback (most recent call last):\n  File \"a\"\nKeyError: 1\n\nDuring handling...\n\nTraceback (most recent call last):\n  File \"b\"\nTypeError: two\n";
    expect(lastException(stderr)).toBe("TypeError: two");
  });

  test("a long message is cut to the line limit and says so", () => {
    const message = Array.from({ length: 20 }, (_, i) => `line ${i}`).join("\n");
    const shown = lastException(`Traceback (most recent call last):\n  File "x"\nValueError: ${message}\n`)!.split("\n");
    expect(shown).toHaveLength(maxErrorLines);
    expect(shown[0]).toBe("ValueError: line 0");
    expect(shown.at(-1)).toBe(`... (${20 - maxErrorLines + 1} more lines in the error output)`);
  });

  test("text without a traceback gives its last line", () => {
    expect(lastException("bwrap: setting up uid map: Permission denied\n")).toBe("bwrap: setting up uid map: Permission denied");
    expect(lastLine("  a\n\n  b  \n\n")).toBe("b");
    expect(lastException("")).toBeUndefined();
  });
});
