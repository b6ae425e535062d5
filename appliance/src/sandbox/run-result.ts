/**
 * What a sandboxed run of one visitor program takes and gives back. The CLI's
 * `run` subcommand and the scheduler both go through `runProgram` (runner.ts),
 * so this shape is shared by both.
 */
import { Type as t, type Static } from "@sinclair/typebox";
import type { PackedFrame } from "../../../protocol/frame.ts";
import type { LedPosition } from "../layout/positions.ts";
import type { EmissionSettings } from "./flash/emitted-light.ts";
import type { SandboxPolicy } from "./policy.ts";

export const runStatuses = ["completed", "timeout", "failed", "rejected"] as const;

export const RunResultSchema = t.Object({
  /** completed: the program ended by itself; timeout: stopped at the time limit; failed: it raised,
   * crashed, broke a limit or abused the frame channel; rejected: the upload-time check refused it. */
  status: t.Union(runStatuses.map((status) => t.Literal(status))),
  /** Frames accepted and passed on. */
  frames: t.Integer({ minimum: 0 }),
  /** Frames dropped by the frame-rate cap (checked first, so they are dropped unread). */
  dropped: t.Integer({ minimum: 0 }),
  /** Invalid frames received on the frame channel. */
  rejected: t.Integer({ minimum: 0 }),
  durationMs: t.Integer({ minimum: 0 }),
  /** Why it did not complete, for the program's owner: a traceback's last line, "stopped at the 45 s limit", ... */
  error: t.Optional(t.String()),
  /** Bounded tails of the program's output. */
  stdout: t.String(),
  stderr: t.String(),
  /** Valid frames held back by the flash limit (photosensitive safety; the tree kept the previous frame); absent when none. */
  held: t.Optional(t.Integer({ minimum: 0 })),
  /** Valid frames shown softened (blended toward the previous frame) by the flash limit; absent when none. Counted in `frames`. */
  softened: t.Optional(t.Integer({ minimum: 0 })),
  /** Something the tree changed for the visitor's good, in words for them (not an error): the flash limit at work. */
  note: t.Optional(t.String()),
});
export type RunResult = Static<typeof RunResultSchema>;

export interface RunOptions {
  /** The program's source text (UTF-8). */
  source: string;
  ledCount: number;
  /** Wall-clock limit, enforced from outside the sandbox. */
  timeLimitMs: number;
  /** Called for every accepted frame, already validated and rate-limited. */
  onFrame?: (frame: PackedFrame) => void;
  /** Aborting stops the program at once (operator skip, idle show yielding). */
  signal?: AbortSignal;
  /** Skip only the upload-time check (tests of the OS layers; the scheduler never sets it). */
  skipCheck?: boolean;
  /** LED positions for getLEDPositions(); default: ledPositions(ledCount). */
  positions?: readonly LedPosition[];
  /** How the daemon turns frames into light (its `info`: brightness cap; power budget when known), for the
   * flash limit; default: full drive and no current limiter (see flash/emitted-light.ts). */
  emission?: EmissionSettings;
  /** The jail; default: policy.ts's defaultPolicy. Tests and the benchmark pass variants. */
  policy?: SandboxPolicy;
  /**
   * A prepared start: the program is checked, the jail started and the program compiled under
   * both filters, then it waits, running nothing, until `go` resolves (the scheduler's switch
   * to the next turn). The time limit, the frame-rate bucket and `durationMs` count from go.
   * Aborting before go kills the waiting jail. Without `go` the program runs at once.
   */
  go?: Promise<void>;
  /** With `go`: called once the prepared program is compiled and waits for go. */
  onReady?: () => void;
}
