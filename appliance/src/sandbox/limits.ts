/**
 * Every limit of a visitor's run, in one place, unit in each name. policy.ts
 * puts them into the jail, runner.ts enforces the ones watched from outside,
 * and tests import them instead of restating numbers.
 */
import { maxLineBytes } from "../../../protocol/limits.ts";

export const kib = 1024;
export const mib = 1024 * kib;

export const sandboxLimits = {
  /** Wall clock of one run, enforced from outside with SIGKILL of the whole sandbox. */
  runTimeoutMs: 45_000,
  /** RLIMIT_AS of the sandboxed python (the Pi's kernel has no memory cgroup by default).
   * This and the next four are set by the harness before the visitor's first line (hard = soft). */
  addressSpaceBytes: 256 * mib,
  /** RLIMIT_NPROC of the sandbox uid: processes and threads. bwrap needs two of its own. */
  maxProcesses: 16,
  /** RLIMIT_NOFILE. */
  maxOpenFiles: 64,
  /** RLIMIT_FSIZE: largest file the program could write (only its private /tmp is writable). */
  maxFileSizeBytes: 1 * mib,
  /** Niceness of the visitor's python (set by the harness): the web app and the LED daemon come first. */
  niceLevel: 10,
  /** Size of the private /tmp. */
  tmpfsBytes: 1 * mib,
  /** How much of the end of stdout and of stderr is kept for the result. */
  outputTailBytes: 16 * kib,
  /** stdout + stderr past this stops the program. */
  outputHardCapBytes: 1 * mib,
  /** Frames per second passed on; setLEDs paces itself to this, the runner drops the excess. */
  maxFramesPerSecond: 60,
  /** Frames the rate cap lets through back to back (absorbs scheduling jitter). */
  frameBurst: 15,
  /** WCAG 2.3.1: at most three flashes (general or red) in any one second. The flash model and its
   * sources: appliance/runner/FLASH.md; flash/flash-guard.ts enforces these six. */
  maxFlashesPerSecond: 3,
  /** A general-flash transition is a change of relative luminance (0-1 of full white) of at least this... */
  flashLuminanceDelta: 0.1,
  /** ...whose darker state is below this. */
  flashDarkerLuminanceMax: 0.8,
  /** A red-flash transition is a change of max(0, R - G - B) of emitted light (0-1) of at least this
   * (PEAT's 20 on its (R - G - B) × 320 scale)... */
  redFlashDelta: 20 / 320,
  /** ...where one of its states is saturated red: R at least this share of R + G + B. */
  saturatedRedShare: 0.8,
  /** Share of the tree (0-1) that may flash faster than the limit, in whatever phase (WCAG's 25 % of the field). */
  flashAreaFraction: 0.25,
  /** Bytes the frame channel may carry within one second before the program is stopped: a full
   * line per frame at maxFramesPerSecond (setLEDs's lines are at most 36 KiB, for 2048 LEDs). */
  maxFrameChannelBytesPerSecond: 60 * maxLineBytes,
  /** Invalid lines on the frame channel before the program is stopped (setLEDs never sends one). */
  maxRejectedFrames: 20,
  /** Frames dropped by the rate cap within one second that make that second a flood. */
  floodDroppedFramesPerSecond: 60,
  /** Consecutive flood seconds before the program is stopped. */
  maxFloodSeconds: 3,
  /** Longest error message in a result, in characters. */
  maxErrorChars: 500,
  /** Longest time the pre-flight run of sandboxReadiness() may take. */
  readinessTimeoutMs: 10_000,
  /** Longest time compiling the stage-1 seccomp filter may take. */
  filterCompileTimeoutMs: 10_000,
} as const;

export type SandboxLimits = { -readonly [K in keyof typeof sandboxLimits]: number };
