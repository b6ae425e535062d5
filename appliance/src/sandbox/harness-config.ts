/**
 * What harness.py reads on its stdin: the one JSON object that configures a
 * run. Built here only, so the runner and the benchmark's bare harness agree.
 */
import type { LedPosition } from "../layout/positions.ts";
import { frameFd, type SandboxPolicy } from "./policy.ts";
import type { SeccompRuleSet } from "./seccomp-rules.ts";

export interface HarnessRun {
  source: string;
  ledCount: number;
  positions: readonly LedPosition[];
  policy: SandboxPolicy;
  /** Stage 2 with this machine's numbers filled in (seccomp-filter.ts withNumbers). */
  stage2: SeccompRuleSet;
  /** A prepared start: the harness compiles, says it is ready, and runs only on the go byte (harness.py _await_go). */
  awaitGo?: boolean;
}

export function harnessConfig({ source, ledCount, positions, policy, stage2, awaitGo = false }: HarnessRun): string {
  const { limits } = policy;
  return JSON.stringify({
    frameFd,
    source,
    ledCount,
    positions,
    // setLEDs paces itself to the rate cap; none when the cap is lifted (benchmarks).
    minFrameIntervalS: Number.isFinite(limits.maxFramesPerSecond) ? 1 / limits.maxFramesPerSecond : 0,
    allowedModules: policy.allowedModules,
    rlimits: {
      RLIMIT_AS: limits.addressSpaceBytes,
      RLIMIT_NPROC: limits.maxProcesses,
      RLIMIT_NOFILE: limits.maxOpenFiles,
      RLIMIT_FSIZE: limits.maxFileSizeBytes,
      RLIMIT_CORE: 0,
    },
    niceLevel: limits.niceLevel,
    stage2,
    awaitGo,
  });
}
