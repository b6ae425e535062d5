/**
 * Compiles a seccomp rule set to BPF with libseccomp (through harness.py's
 * compile-filter mode and python3-seccomp), outside any sandbox, once per
 * rule set per process. Each run opens the BPF read-only and hands it to bwrap
 * as `--seccomp FD`.
 */
import { mkdtempSync, openSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadHarnessSource } from "./harness-source.ts";
import type { ArgCondition, SeccompRuleSet } from "./seccomp-rules.ts";

/** Values of the symbolic rule arguments (O_WRONLY, TCGETS, ...) on this machine. */
export type SymbolTable = Record<string, number>;

export interface CompiledFilter {
  bpf: Uint8Array;
  /** Names the target arch does not have (skipped). */
  skipped: string[];
  symbols: SymbolTable;
}

/** Runs libseccomp on `rules` for `arch` (libseccomp's name, e.g. "aarch64"; default: this machine). */
export async function compileFilter(pythonPath: string, rules: SeccompRuleSet, timeoutMs: number, arch?: string): Promise<CompiledFilter> {
  const harness = await loadHarnessSource();
  const child = Bun.spawn([pythonPath, "-I", "-S", "-B", "-c", harness, "compile-filter"], {
    stdin: "pipe",
    stdout: "pipe",
    stderr: "pipe",
    env: {},
  });
  const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
  child.stdin.write(JSON.stringify({ rules, arch }));
  await child.stdin.end();
  const [bpf, report, code] = await Promise.all([
    new Response(child.stdout).bytes(),
    new Response(child.stderr).text(),
    child.exited,
  ]);
  clearTimeout(timer);
  if (code !== 0) throw new Error(`libseccomp could not build the filter (exit ${code}): ${report.slice(-500).trim()}`);
  // A BPF program is a whole number of 8-byte instructions.
  if (bpf.length === 0 || bpf.length % 8 !== 0) throw new Error(`libseccomp produced ${bpf.length} bytes, not a BPF program`);
  const { skipped, symbols } = JSON.parse(report) as { skipped: string[]; symbols: SymbolTable };
  return { bpf, skipped, symbols };
}

/**
 * The rule set with symbolic argument values replaced by this machine's
 * numbers, so the harness need not import modules just to look them up.
 */
export function withNumbers(rules: SeccompRuleSet, symbols: SymbolTable): SeccompRuleSet {
  const number = (value: string | number): number => {
    if (typeof value === "number") return value;
    const found = symbols[value];
    if (found === undefined) throw new Error(`no value for seccomp argument ${value}`);
    return found;
  };
  const condition = (c: ArgCondition): ArgCondition =>
    c.op === "masked_eq" ? { ...c, mask: number(c.mask), value: number(c.value) } : { ...c, value: number(c.value) };
  return { ...rules, rules: rules.rules.map((rule) => (rule.args === undefined ? rule : { ...rule, args: rule.args.map(condition) })) };
}

export interface Stage1Filter {
  /** Where to open the compiled BPF: /proc/self/fd/N of a removed private file. */
  path: string;
  symbols: SymbolTable;
}

const files = new Map<string, Promise<Stage1Filter>>();

/**
 * Writes the BPF to a private temp file, keeps one descriptor to it and removes
 * the file at once: nothing is left in /tmp even if the process is killed.
 * Each run opens /proc/self/fd/N afresh, which gives bwrap its own read offset.
 */
function keepAnonymous(bpf: Uint8Array): string {
  const directory = mkdtempSync(join(tmpdir(), "tree-sandbox-"));
  try {
    const path = join(directory, "stage1.bpf");
    writeFileSync(path, bpf, { mode: 0o600 });
    const fd = openSync(path, "r");
    return `/proc/self/fd/${fd}`;
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
}

/** The compiled BPF for `rules` (compiled on first use, then cached for the process). */
export function stage1FilterFile(pythonPath: string, rules: SeccompRuleSet, timeoutMs: number): Promise<Stage1Filter> {
  const key = `${pythonPath}\0${JSON.stringify(rules)}`;
  let file = files.get(key);
  if (file === undefined) {
    file = compileFilter(pythonPath, rules, timeoutMs).then(({ bpf, symbols }) => ({ path: keepAnonymous(bpf), symbols }));
    // A failure is not cached: the next run tries again (and reports why if it fails again).
    file.catch(() => files.delete(key));
    files.set(key, file);
  }
  return file;
}
