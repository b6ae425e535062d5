import { describe, expect, test } from "vitest";
import { OutputTail } from "./output-tail.ts";

const bytes = (text: string) => new TextEncoder().encode(text);

describe("OutputTail", () => {
  test("keeps everything while it fits", () => {
    const tail = new OutputTail(16);
    tail.push(bytes("hello "));
    tail.push(bytes("world"));
    expect(tail.text()).toBe("hello world");
    expect(tail.total).toBe(11);
  });

  test("keeps only the last bytes and says how much was cut", () => {
    const tail = new OutputTail(8);
    tail.push(bytes("0123456789"));
    tail.push(bytes("abc"));
    expect(tail.total).toBe(13);
    expect(tail.text()).toBe("[… 5 earlier bytes not kept]\n56789abc");
  });

  test("a chunk larger than the tail replaces it", () => {
    const tail = new OutputTail(4);
    tail.push(bytes("ab"));
    tail.push(bytes("0123456789"));
    expect(tail.text()).toBe("[… 8 earlier bytes not kept]\n6789");
  });
});
