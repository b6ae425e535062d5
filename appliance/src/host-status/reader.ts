/**
 * Reads the host status file (schema.ts) that tree-host writes on the Pi, and
 * keeps reading it: every `pollMs` the file's identity (inode, size, mtime) is
 * compared, and a change re-reads it and tells the subscribers. A missing,
 * unreadable, oversized or invalid file is a clear "unknown" state with the
 * reason, never a throw: the app runs on without it. Without a path (a laptop,
 * `npm start`) the state is "not on an appliance".
 */
import { readFileSync, statSync } from "node:fs";
import { Type as t, type Static } from "@sinclair/typebox";
import { Value } from "@sinclair/typebox/value";
import { HostStatusSchema, type HostPhase, type HostStatus } from "./schema.ts";

/** tree-host writes a few hundred bytes; anything far larger is not its file. */
export const maxHostStatusBytes = 64 * 1024;
/** The contract allows polling the mtime every ~2 s. */
export const hostStatusPollMs = 2000;

export const HostStatusViewSchema = t.Object({
  /** known: the file was read and valid; unknown: it was expected but could not be used; not-on-appliance: no --host-status. */
  state: t.Union([t.Literal("known"), t.Literal("unknown"), t.Literal("not-on-appliance")]),
  /** Why the state is not known, as a sentence; null when known. */
  reason: t.Union([t.String(), t.Null()]),
  status: t.Union([HostStatusSchema, t.Null()]),
});
export type HostStatusView = Static<typeof HostStatusViewSchema>;

export const notOnAppliance: HostStatusView = {
  state: "not-on-appliance",
  reason: "Not on an appliance: tree-app was started without --host-status, so there is no host to report on.",
  status: null,
};

/** Parses one file's text; never throws. */
export function parseHostStatus(text: string, path: string): HostStatusView {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return unknown(`${path} is not valid JSON (${(error as Error).message}); tree-host writes it whole, so another program may have written it.`);
  }
  if (Value.Check(HostStatusSchema, value)) return { state: "known", reason: null, status: value };
  const version = (value as { version?: unknown } | null)?.version;
  if (typeof value === "object" && value !== null && version !== 1) {
    return unknown(`${path} has version ${JSON.stringify(version) ?? "none"}; this tree-app reads version 1 (update the image so both agree).`);
  }
  const first = Value.Errors(HostStatusSchema, value).First();
  const where = first === undefined || first.path === "" ? "(file)" : first.path.replace(/^\//, "").replace(/\//g, ".");
  return unknown(`${path} does not match the host status format: ${where}: ${first?.message ?? "is not valid"}.`);
}

function unknown(reason: string): HostStatusView {
  return { state: "unknown", reason, status: null };
}

/** Reads the file once; never throws. */
export function readHostStatus(path: string): HostStatusView {
  try {
    const size = statSync(path).size;
    if (size > maxHostStatusBytes) return unknown(`${path} is ${size} bytes, more than the ${maxHostStatusBytes} a host status may have.`);
    return parseHostStatus(readFileSync(path, "utf8"), path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT") return unknown(`No host status at ${path} yet: tree-host has not written it (still booting, or tree-host.service is not running).`);
    return unknown(`Cannot read ${path} (${code ?? (error as Error).message}).`);
  }
}

/** What changes when the file is replaced (tree-host renames a new file over it) or rewritten. */
function identityOf(path: string): string {
  try {
    const stat = statSync(path);
    return `${stat.ino}:${stat.size}:${stat.mtimeMs}`;
  } catch (error) {
    return `error:${(error as NodeJS.ErrnoException).code ?? "unknown"}`;
  }
}

export interface HostStatusSource {
  /** The state as last read. */
  readonly view: HostStatusView;
  /** The phase the tree is in: known → the file's; unknown → null; not on an appliance → undefined. */
  readonly phase: HostPhase | null | undefined;
  /** Calls `listener` after every change of `view`; returns the unsubscribe. */
  subscribe(listener: (view: HostStatusView) => void): () => void;
}

export interface HostStatusReaderOptions {
  /** The file; undefined = not on an appliance. */
  path: string | undefined;
  pollMs?: number;
  log?: (message: string) => void;
}

export class HostStatusReader implements HostStatusSource {
  #view: HostStatusView;
  #identity = "";
  #timer: ReturnType<typeof setInterval> | null = null;
  readonly #listeners = new Set<(view: HostStatusView) => void>();

  constructor(private readonly options: HostStatusReaderOptions) {
    this.#view = notOnAppliance;
    if (options.path !== undefined) this.#read(options.path);
  }

  get view(): HostStatusView {
    return this.#view;
  }

  get phase(): HostPhase | null | undefined {
    if (this.#view.state === "not-on-appliance") return undefined;
    return this.#view.status?.phase ?? null;
  }

  subscribe(listener: (view: HostStatusView) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  start(): void {
    const path = this.options.path;
    if (path === undefined || this.#timer !== null) return;
    this.#timer = setInterval(() => this.check(), this.options.pollMs ?? hostStatusPollMs);
    this.#timer.unref?.();
  }

  stop(): void {
    if (this.#timer !== null) clearInterval(this.#timer);
    this.#timer = null;
  }

  /** Re-reads the file when it changed since the last read (the poll calls this; tests may too). */
  check(): void {
    const path = this.options.path;
    if (path === undefined || identityOf(path) === this.#identity) return;
    const before = JSON.stringify(this.#view);
    this.#read(path);
    if (JSON.stringify(this.#view) === before) return;
    this.options.log?.(this.#view.state === "known" ? `host status: ${this.#view.status!.phase}` : `host status unknown: ${this.#view.reason}`);
    for (const listener of this.#listeners) listener(this.#view);
  }

  #read(path: string): void {
    // Identity first: a write racing the read changes it again, and the next poll reads once more.
    this.#identity = identityOf(path);
    this.#view = readHostStatus(path);
  }
}
