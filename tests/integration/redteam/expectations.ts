/**
 * The red-team table: every probe in probes/ and what must happen to it, once
 * through the upload-time check and once with --skip-check (the OS layer
 * alone), in the manner of nsjail's Makefile of (command, expected exit).
 *
 * Whatever the status, every run must also leave the canaries untouched
 * (canaries.ts) and never print the "ESCAPED:" marker a probe prints when an
 * operation that must fail succeeded. Statuses are RunResult's.
 */
import type { RunResult } from "../../../appliance/src/sandbox/run-result.ts";

export type Status = RunResult["status"];
export type Category = "import-bypass" | "file-read" | "file-write" | "network" | "process" | "resources" | "frame-channel";

export interface ProbeExpectation {
  category: Category;
  /** "rejected" when the upload-time check must refuse it; else it passes the check and must end with one of these. */
  checked: "rejected" | readonly Status[];
  /** With --skip-check: how the runtime and OS layers alone must end it. */
  sandboxed: readonly Status[];
  /** No frame may be accepted (the probe sends none through setLEDs, or only invalid ones). */
  noFrames?: true;
  /** When rejected: the rule that must refuse it (the first rejection), so a probe proves its own rule. */
  rejectedFor?: RegExp;
  /**
   * With --skip-check: stdout shows the probe got what it aimed for (the real os, the
   * harness's globals), so what held afterwards was the OS layer, not a language fence.
   */
  sandboxedReaches?: RegExp;
}

const failed: readonly Status[] = ["failed"];
const timeout: readonly Status[] = ["timeout"];
/** Plain Python that harms nothing when it runs; only the canaries decide. */
const harmless: readonly Status[] = ["completed", "failed"];
/** The check's rule for type() of a class (type(type(1)) is type itself). */
const typeOfClass = /^line \d+: type\(type\(x\)\) is type itself under another name/;
/** What the escapes through class patterns print once they hold the real os module. */
const reachedOs = /reached os: <module 'os'/;

export const probeTable: Record<string, ProbeExpectation> = {
  // Import bypasses: object-graph walks, frames, code objects, format strings, module internals.
  "subclasses-walk": { category: "import-bypass", checked: "rejected", sandboxed: failed },
  "random-os": { category: "import-bypass", checked: "rejected", sandboxed: failed },
  "time-loader-posix": { category: "import-bypass", checked: "rejected", sandboxed: failed },
  "loader-socket-tcp": { category: "network", checked: "rejected", sandboxed: failed },
  "generator-frame": { category: "import-bypass", checked: "rejected", sandboxed: failed },
  "traceback-frame": { category: "import-bypass", checked: "rejected", sandboxed: failed },
  "api-globals": { category: "import-bypass", checked: "rejected", sandboxed: failed },
  "code-object-forgery": { category: "import-bypass", checked: "rejected", sandboxed: harmless },
  "format-string-walk": { category: "import-bypass", checked: "rejected", sandboxed: harmless },
  "format-spec-nested": { category: "import-bypass", checked: "rejected", sandboxed: harmless },
  "builtins-recovery": { category: "import-bypass", checked: "rejected", sandboxed: failed },
  "import-os": { category: "import-bypass", checked: "rejected", sandboxed: failed },
  "dunder-import": { category: "import-bypass", checked: "rejected", sandboxed: failed },
  "sys-modules": { category: "import-bypass", checked: "rejected", sandboxed: failed },
  "marshal-code": { category: "import-bypass", checked: "rejected", sandboxed: failed },
  "metaclass-hooks": { category: "import-bypass", checked: "rejected", sandboxed: harmless },
  "exit-traceback": { category: "import-bypass", checked: "rejected", sandboxed: harmless },
  "fullwidth-eval": { category: "import-bypass", checked: "rejected", sandboxed: failed },
  "utf7-cookie": { category: "import-bypass", checked: "rejected", sandboxed: ["completed"] },
  "bidi-trojan": { category: "import-bypass", checked: "rejected", sandboxed: ["completed"] },
  // type(type(x)) is type: refused since review finding 1 (it was F5's "known gap").
  "type-of-type": { category: "import-bypass", checked: "rejected", rejectedFor: typeOfClass, sandboxed: harmless },
  // The spelling of that route no static rule follows: passes the check, reaches nothing new.
  "type-via-list": { category: "import-bypass", checked: harmless, sandboxed: harmless },
  // Class patterns reading attributes named in strings (review findings 1 and 2, FINDINGS.md F5/F6).
  "match-args-globals": { category: "import-bypass", checked: "rejected", rejectedFor: typeOfClass, sandboxed: failed, sandboxedReaches: reachedOs },
  "match-args-module": { category: "import-bypass", checked: "rejected", rejectedFor: /line 10: a class pattern with values in brackets/, sandboxed: failed, sandboxedReaches: reachedOs },
  "match-rebound-builtin": { category: "import-bypass", checked: "rejected", rejectedFor: /line 8: case int\(\.\.\.\) needs Python's own int, but this program also uses the name "int"/, sandboxed: failed, sandboxedReaches: reachedOs },
  "match-star-import": { category: "import-bypass", checked: "rejected", rejectedFor: /line 8: case int\(\.\.\.\) needs Python's own int, but "from math import \*"/, sandboxed: failed, sandboxedReaches: reachedOs },
  "match-class-body-prepare": { category: "import-bypass", checked: "rejected", rejectedFor: /line 9: case int\(\.\.\.\) directly inside a class body/, sandboxed: failed, sandboxedReaches: reachedOs },
  "match-keyword-format": { category: "import-bypass", checked: "rejected", rejectedFor: /line 9: "format=" in a case pattern/, sandboxed: ["completed"], sandboxedReaches: /format reached: <module 'os'/ },
  // Edges of the fence widened by issue 9 (own _attributes and f_/co_ names, templates in
  // variables, rebound builtin names, data-model methods through super()).
  "format-template-variable": { category: "import-bypass", checked: "rejected", rejectedFor: /line 10: the format field "\{0\.__globals__\[_os\]\}"/, sandboxed: ["completed"], sandboxedReaches: /format reached: <module 'os'/ },
  "format-template-parameter": { category: "import-bypass", checked: "rejected", rejectedFor: /line 9: "\.format" may only be used on a string written in quotes.*"template" is also given a value/, sandboxed: ["completed"], sandboxedReaches: /format reached: <module 'os'/ },
  "builtin-name-shadow": { category: "import-bypass", checked: failed, sandboxed: failed },
  "own-attribute-module-private": { category: "import-bypass", checked: "rejected", rejectedFor: /line 11: "\._os" is not allowed on the tree: random\._os is one of that module's hidden members/, sandboxed: failed, sandboxedReaches: reachedOs },
  "own-attribute-frame-names": { category: "import-bypass", checked: "rejected", rejectedFor: /line 11: "\.tb_frame" is not allowed on the tree: it looks inside running code/, sandboxed: failed, sandboxedReaches: /reached builtins: True/ },
  "super-getattribute": { category: "import-bypass", checked: "rejected", rejectedFor: /line 8: "\.__getattribute__" is not allowed/, sandboxed: failed, sandboxedReaches: reachedOs },
  "compile-bomb": { category: "import-bypass", checked: "rejected", sandboxed: failed },
  "exception-hooks": { category: "import-bypass", checked: failed, sandboxed: failed },
  // Host file reads.
  "read-shadow": { category: "file-read", checked: "rejected", sandboxed: failed },
  "read-secret-paths": { category: "file-read", checked: "rejected", sandboxed: failed },
  "proc-environ": { category: "file-read", checked: "rejected", sandboxed: failed },
  "proc-walk": { category: "file-read", checked: "rejected", sandboxed: failed },
  "listdir-host": { category: "file-read", checked: "rejected", sandboxed: failed },
  "symlink-escape": { category: "file-read", checked: "rejected", sandboxed: failed },
  "dev-access": { category: "file-read", checked: "rejected", sandboxed: failed },
  // Host file writes.
  "write-canary-dir": { category: "file-write", checked: "rejected", sandboxed: failed },
  "write-runtime": { category: "file-write", checked: "rejected", sandboxed: failed },
  "disk-fill-tmp": { category: "file-write", checked: "rejected", sandboxed: failed },
  // Network.
  "udp-send": { category: "network", checked: "rejected", sandboxed: failed },
  "dns-lookup": { category: "network", checked: "rejected", sandboxed: failed },
  "unix-socket": { category: "network", checked: "rejected", sandboxed: failed },
  "socketpair-abstract": { category: "network", checked: "rejected", sandboxed: failed },
  // Processes and signals.
  fork: { category: "process", checked: "rejected", sandboxed: failed },
  "exec-shell": { category: "process", checked: "rejected", sandboxed: failed },
  "os-system": { category: "process", checked: "rejected", sandboxed: failed },
  "kill-canary": { category: "process", checked: "rejected", sandboxed: harmless },
  "ctypes-syscalls": { category: "process", checked: "rejected", sandboxed: failed },
  "setsid-tiocsti": { category: "process", checked: "rejected", sandboxed: failed },
  privileges: { category: "process", checked: "rejected", sandboxed: failed },
  // Resource exhaustion.
  "memory-hog": { category: "resources", checked: failed, sandboxed: failed },
  "cpu-spin": { category: "resources", checked: timeout, sandboxed: timeout },
  "sleep-past-limit": { category: "resources", checked: timeout, sandboxed: timeout },
  "output-flood": { category: "resources", checked: failed, sandboxed: failed },
  "deep-recursion": { category: "resources", checked: failed, sandboxed: failed },
  // Python 3.11 recurses on the heap, so this may exhaust memory (failed) or the clock (timeout).
  "deep-recursion-unlimited": { category: "resources", checked: "rejected", sandboxed: ["failed", "timeout"] },
  "huge-integer": { category: "resources", checked: timeout, sandboxed: timeout },
  "math-cpu-bomb": { category: "resources", checked: timeout, sandboxed: timeout },
  "huge-string-repeat": { category: "resources", checked: failed, sandboxed: failed },
  "fork-bomb": { category: "resources", checked: "rejected", sandboxed: failed },
  "thread-bomb": { category: "resources", checked: "rejected", sandboxed: ["failed", "timeout"] },
  "fd-exhaustion": { category: "resources", checked: "rejected", sandboxed: failed },
  // Frame-channel abuse.
  "giant-frame-line": { category: "frame-channel", checked: "rejected", sandboxed: failed, noFrames: true },
  "invalid-frames": { category: "frame-channel", checked: "rejected", sandboxed: failed, noFrames: true },
  "frame-flood": { category: "frame-channel", checked: "rejected", sandboxed: ["failed", "timeout"] },
  "other-fds": { category: "frame-channel", checked: "rejected", sandboxed: harmless, noFrames: true },
  "stdout-frames": { category: "frame-channel", checked: ["completed"], sandboxed: ["completed"], noFrames: true },
  "setleds-lying-values": { category: "frame-channel", checked: failed, sandboxed: failed, noFrames: true },
};
