/**
 * The upload-time check's cost, as the editor's check-as-you-type sees it,
 * measured side by side in one run (interleaved, so load hits all alike):
 *  - a bare `python3 -I -S -B -c pass` start, the floor every check pays;
 *  - checkProgram on a typical visitor program (a corpus program);
 *  - checkProgram on a program at the 64 KiB limit (corpus programs joined);
 *  - checkProgram on the typical program by a serving checker, as `tree-app
 *    serve` keeps them (a visitor who pauses between checks), and a crowd's
 *    burst of checks with and without serving checkers.
 * Goal, on an unloaded core of the build machine: a typical check ≤ 100 ms
 * median and a 64 KiB one ≤ 500 ms, so a debounced editor (one check per
 * pause in typing) answers before the visitor looks up; a loaded machine
 * stretches every row alike, which the bare start shows.
 */
import { readdirSync, readFileSync } from "node:fs";
import { checkProgram, maxUploadBytes } from "../appliance/src/checker/check.ts";
import { checkerPython, keepCheckersServing, servingCheckerPids } from "../appliance/src/checker/check-child.ts";
import { fmt, median, percentile } from "./sandbox-startup.ts";

const rounds = 40;
const programDir = new URL("../tests/integration/corpus/programs/", import.meta.url);
const corpus = readdirSync(programDir)
  .filter((name) => name.endsWith(".py"))
  .sort()
  .map((name) => readFileSync(new URL(name, programDir), "utf8"));
const typical = corpus.find((source) => source.includes("class Colour")) ?? corpus[0]!;

/** Whole corpus programs, repeated, up to the size limit: every line real code the rules must walk. */
function largest(): string {
  let text = "";
  for (let index = 0; ; index++) {
    const next = `${corpus[index % corpus.length]!}\n`;
    if (Buffer.byteLength(text + next) > maxUploadBytes) return text;
    text += next;
  }
}
const big = largest();

async function timed(work: () => Promise<unknown>): Promise<number> {
  const start = performance.now();
  await work();
  return performance.now() - start;
}

async function bareStart(): Promise<void> {
  const child = Bun.spawn([checkerPython, "-I", "-S", "-B", "-c", "pass"], { stdout: "ignore", stderr: "ignore" });
  await child.exited;
}

for (const source of [typical, big]) {
  const verdict = await checkProgram(source);
  if (!verdict.ok) throw new Error(`the bench's program was refused: ${verdict.error}`);
}

/** Waits (untimed) until a serving checker is loaded and waiting, as after a visitor's pause. */
async function servingUp(): Promise<void> {
  while (servingCheckerPids().length === 0) await Bun.sleep(5);
  await Bun.sleep(settleMs);
}
/** Far more than a start takes here, far less than a visitor's pause between two checks. */
const settleMs = 400;

async function servedCheck(source: string): Promise<number> {
  keepCheckersServing(true, maxUploadBytes);
  await servingUp();
  const ms = await timed(() => checkProgram(source));
  keepCheckersServing(false, maxUploadBytes);
  return ms;
}

/** A crowd pressing Run at once: `burst` typical checks queued together, until the last verdict. */
async function burstOf(served: boolean): Promise<number> {
  keepCheckersServing(served, maxUploadBytes);
  if (served) await servingUp();
  const ms = await timed(() => Promise.all(Array.from({ length: burst }, () => checkProgram(typical))));
  keepCheckersServing(false, maxUploadBytes);
  return ms;
}
const burst = 20;

const bare: number[] = [];
const servedMs: number[] = [];
const burstColdMs: number[] = [];
const burstServedMs: number[] = [];
const typicalMs: number[] = [];
const bigMs: number[] = [];
for (let round = 0; round < rounds; round++) {
  bare.push(await timed(bareStart));
  typicalMs.push(await timed(() => checkProgram(typical)));
  bigMs.push(await timed(() => checkProgram(big)));
  servedMs.push(await servedCheck(typical));
  if (round % 4 === 0) {
    burstColdMs.push(await burstOf(false));
    burstServedMs.push(await burstOf(true));
  }
}

const row = (label: string, values: number[]) =>
  console.log(`${label.padEnd(34)} median ${fmt(median(values)).padStart(9)}   p95 ${fmt(percentile(values, 95)).padStart(9)}`);
console.log(`${rounds} rounds, interleaved; typical program ${Buffer.byteLength(typical)} bytes, large ${Buffer.byteLength(big)} bytes`);
row("bare python3 start", bare);
row("check, typical program", typicalMs);
row("check, 64 KiB program", bigMs);
row("check, typical, a serving checker", servedMs);
row(`${burst} typical checks at once, one checker each`, burstColdMs);
row(`${burst} typical checks at once, serving checkers`, burstServedMs);
console.log(
  `typical check ${(median(typicalMs) / median(bare)).toFixed(1)}× a bare start (goal ≤ 100 ms median); ` +
    `64 KiB check ${(median(bigMs) / median(bare)).toFixed(1)}× (goal ≤ 500 ms median)`,
);
console.log(
  `a serving checker answers a typical check in ${(median(servedMs) / median(typicalMs)).toFixed(2)}× the time of one started for it; ` +
    `${burst} at once take ${(median(burstServedMs) / median(burstColdMs)).toFixed(2)}× as long`,
);
