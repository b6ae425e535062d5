/**
 * Links that open code in the editor: `/editor#example=<id>` for a starter example and
 * `/editor#code=<percent-encoded program>` for any other code (the docs' code blocks). A fragment is
 * never sent to the server, so the link works on a static page with no script (the docs) and the
 * code reaches the editor only as text. Anyone can craft such a link, so what it carries is treated
 * as a visitor's text: it only ever goes into the editor, where the previous code stays one undo away.
 */
import type { Example } from "./examples.ts";

/** Longer than any program worth sharing by link, far shorter than a URL a browser keeps. */
export const maxLinkedCodeChars = 16_000;

export function editorLinkForExample(example: Example): string {
  return `/editor#example=${encodeURIComponent(example.id)}`;
}

export function editorLinkForCode(code: string): string {
  return `/editor#code=${encodeURIComponent(code)}`;
}

export type LinkedCode =
  | { kind: "code"; code: string; /** How the editor names it: “Fire from the bottom”, the code from the link. */ label: string }
  | { kind: "error"; message: string };

/** What a location.hash asks the editor to open, or undefined when it asks for nothing. */
export function codeFromFragment(hash: string, examples: readonly Example[]): LinkedCode | undefined {
  const fragment = hash.startsWith("#") ? hash.slice(1) : hash;
  const equals = fragment.indexOf("=");
  if (equals === -1) return undefined;
  const key = fragment.slice(0, equals);
  let value: string;
  try {
    value = decodeURIComponent(fragment.slice(equals + 1));
  } catch {
    return { kind: "error", message: "The link's code is damaged (it was cut or changed), so the editor kept your own code." };
  }
  if (key === "example") {
    const example = examples.find((candidate) => candidate.id === value);
    if (example === undefined) return { kind: "error", message: "That example does not exist (any more): pick one from the list of examples." };
    return { kind: "code", code: example.code, label: `“${example.title}”` };
  }
  if (key === "code") {
    if (value.length > maxLinkedCodeChars) return { kind: "error", message: `The linked code is too long to open (over ${maxLinkedCodeChars} characters).` };
    if (value.trim() === "") return undefined;
    return { kind: "code", code: value.endsWith("\n") ? value : `${value}\n`, label: "the code from the link" };
  }
  return undefined;
}
