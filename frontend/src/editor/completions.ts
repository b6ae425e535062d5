/**
 * Autocompletion for what a visitor's program can use: the tree's functions, the colour names, and
 * the allowed modules (math, random, time) with their common members, each with a one-line doc. A
 * test runs a program naming every entry in the real sandbox, so nothing here is offered that the
 * tree does not have.
 */
import type { Completion, CompletionContext, CompletionResult } from "@codemirror/autocomplete";
import type { EditorView } from "@codemirror/view";

interface Entry {
  label: string;
  detail: string;
  type: "function" | "constant" | "namespace" | "keyword";
  /** What is inserted, when more than the label (e.g. a call's brackets). */
  apply?: string;
}

const fn = (label: string, detail: string, apply = `${label}(`): Entry => ({ label, detail, type: "function", apply });

/** The tree's own functions and the names a program uses without importing. */
export const globalEntries: Entry[] = [
  fn("getLEDCount", "how many LEDs the tree has", "getLEDCount()"),
  fn("setLEDs", "show one frame: a list of [R, G, B, L], one per LED"),
  fn("getLEDPositions", "(x, y, z) of every LED: x, y from -1 to 1, z from 0 upwards", "getLEDPositions()"),
  fn("hsv", "a colour from a hue in degrees (0 red, 120 green, 240 blue)"),
  fn("rgb", "a colour from any numbers, rounded and kept in range"),
  fn("wait", "pause for this many seconds"),
  ...(
    [
      ["RED", "255, 0, 0"],
      ["GREEN", "0, 255, 0"],
      ["BLUE", "0, 0, 255"],
      ["WHITE", "255, 255, 255"],
      ["WARM_WHITE", "255, 170, 80"],
      ["YELLOW", "255, 255, 0"],
      ["CYAN", "0, 255, 255"],
      ["MAGENTA", "255, 0, 255"],
      ["ORANGE", "255, 128, 0"],
      ["PURPLE", "128, 0, 255"],
      ["PINK", "255, 80, 160"],
      ["GOLD", "255, 190, 0"],
    ] as const
  ).map(([label, rgb]): Entry => ({ label, detail: `colour (${rgb}) at full brightness`, type: "constant" })),
  { label: "OFF", detail: "an LED switched off (also BLACK)", type: "constant" },
  { label: "BLACK", detail: "an LED switched off (same as OFF)", type: "constant" },
  { label: "math", detail: "module: sin, cos, pi, sqrt…", type: "namespace" },
  { label: "random", detail: "module: random(), randint, choice…", type: "namespace" },
  { label: "time", detail: "module: time(), sleep, localtime…", type: "namespace" },
  fn("range", "numbers from 0 (or start) up to, not including, stop"),
  fn("len", "how many items a list has"),
  fn("print", "write text: the owner sees it after the run"),
  fn("int", "a whole number (cuts off the fraction)"),
  fn("abs", "the size of a number, without its sign"),
  fn("min", "the smallest of the values"),
  fn("max", "the largest of the values"),
  fn("enumerate", "pairs of (index, item) for a loop"),
];

/** Members of the allowed modules, offered after `math.`, `random.` and `time.`. */
export const moduleEntries: Record<"math" | "random" | "time", Entry[]> = {
  math: [
    fn("sin", "sine of an angle in radians, -1 to 1"),
    fn("cos", "cosine of an angle in radians, -1 to 1"),
    fn("atan2", "the angle of the point (x, y), as atan2(y, x), in radians"),
    fn("sqrt", "square root"),
    fn("floor", "round down to a whole number"),
    fn("radians", "degrees to radians"),
    fn("hypot", "distance from (0, 0) to (x, y)"),
    { label: "pi", detail: "3.14159…, half a turn in radians", type: "constant" },
    { label: "tau", detail: "6.28318…, a whole turn in radians", type: "constant" },
  ],
  random: [
    fn("random", "a number from 0 up to 1", "random()"),
    fn("randint", "a whole number from a to b, both included"),
    fn("randrange", "a whole number from 0 (or start) up to, not including, stop"),
    fn("uniform", "a number between a and b"),
    fn("choice", "one item of a list, at random"),
    fn("shuffle", "mix a list's order in place"),
  ],
  time: [
    fn("time", "seconds since 1970, with fractions: measure how long things take", "time()"),
    fn("sleep", "pause for this many seconds"),
    fn("localtime", "the clock now: .tm_hour, .tm_min, .tm_sec", "localtime()"),
    fn("monotonic", "seconds from a clock that never jumps", "monotonic()"),
  ],
};

/** A call's brackets come in pairs, as typed ones do: "setLEDs(" becomes setLEDs(|) with the cursor inside. */
function applyEntry(entry: Entry): Completion["apply"] {
  const text = entry.apply;
  if (text === undefined || !text.endsWith("(")) return text;
  return (view: EditorView, _completion: Completion, from: number, to: number) => {
    view.dispatch({ changes: { from, to, insert: `${text})` }, selection: { anchor: from + text.length }, userEvent: "input.complete", scrollIntoView: true });
  };
}

const toCompletion = (entry: Entry): Completion => ({ label: entry.label, detail: entry.detail, type: entry.type, apply: applyEntry(entry) });
const globalCompletions = globalEntries.map(toCompletion);
const moduleCompletions = Object.fromEntries(Object.entries(moduleEntries).map(([name, entries]) => [name, entries.map(toCompletion)])) as Record<string, Completion[]>;

/**
 * The list, unless the word typed is already complete: a list still open at `import time` would take
 * the Enter meant for a new line. (No validFor: asked again at every keystroke, which is cheap.)
 */
function offer(from: number, typed: string, options: Completion[]): CompletionResult | null {
  const matching = options.filter((option) => option.label.startsWith(typed));
  if (matching.length === 1 && matching[0]!.label === typed) return null;
  return { from, options };
}

/** The completion source: module members after `module.`, otherwise the global names. */
export function treeCompletions(context: CompletionContext): CompletionResult | null {
  const member = context.matchBefore(/\b(math|random|time)\.\w*$/);
  if (member !== null) {
    const dot = member.text.indexOf(".");
    return offer(member.from + dot + 1, member.text.slice(dot + 1), moduleCompletions[member.text.slice(0, dot)]!);
  }
  const word = context.matchBefore(/\w+$/);
  // Not after a dot (someone's own object), not inside a number, and not unasked on an empty word.
  if (word === null && !context.explicit) return null;
  const from = word?.from ?? context.pos;
  if (from > 0 && context.state.sliceDoc(from - 1, from) === ".") return null;
  if (word !== null && /^\d/.test(word.text)) return null;
  return offer(from, word?.text ?? "", globalCompletions);
}
