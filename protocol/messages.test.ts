import { describe, expect, it } from "vitest";
import { Value } from "@sinclair/typebox/value";
import { maxLineBytes } from "./limits.ts";
import { ErrorReplySchema, errorReply, okReply, OkReplySchema, parseRequestBytes, parseRequestLine } from "./messages.ts";

const bytes = (text: string) => new TextEncoder().encode(text);

describe("parseRequestLine and parseRequestBytes", () => {
  const both = (line: string, ledCount = 1) => {
    const fromText = parseRequestLine(line, ledCount);
    expect(parseRequestBytes(bytes(line), ledCount)).toEqual(fromText);
    return fromText;
  };

  it("takes a frame", () => {
    expect(both("[[1,2,3,4]]")).toEqual({ kind: "frame", frame: new Uint8Array([1, 2, 3, 4]) });
  });

  it("takes each known command", () => {
    for (const type of ["info", "snapshot", "off"]) expect(both(JSON.stringify({ type }))).toEqual({ kind: "command", command: { type } });
  });

  it("names unknown commands and the known ones", () => {
    expect(both('{"type":"reboot"}')).toEqual({ kind: "invalid", error: 'unknown command "reboot" (known: info, snapshot, off)' });
  });

  it("rejects commands with extra fields or no type", () => {
    for (const line of ['{"type":"info","x":1}', "{}", '{"type":7}']) {
      expect(both(line)).toMatchObject({ kind: "invalid", error: expect.stringMatching(/^a command is/) });
    }
  });

  it("rejects malformed JSON, empty lines and other values", () => {
    expect(both('{"type":')).toMatchObject({ kind: "invalid", error: expect.stringMatching(/^malformed JSON/) });
    expect(both("")).toMatchObject({ kind: "invalid", error: expect.stringMatching(/^empty line/) });
    expect(both("   ")).toMatchObject({ kind: "invalid", error: expect.stringMatching(/^empty line/) });
    for (const line of ["42", '"info"', "null", "true", "info"]) {
      expect(both(line)).toMatchObject({ kind: "invalid", error: expect.stringMatching(/^expected a frame/) });
    }
  });

  it("rejects a line over the cap without parsing it", () => {
    const line = `[${"0".repeat(maxLineBytes)}]`;
    expect(both(line)).toEqual({ kind: "invalid", error: `line is longer than ${maxLineBytes} bytes` });
  });

  it("replies in the published shapes", () => {
    expect(Value.Check(OkReplySchema, JSON.parse(okReply))).toBe(true);
    expect(Value.Check(ErrorReplySchema, JSON.parse(errorReply('a "quoted"\nerror')))).toBe(true);
  });
});
