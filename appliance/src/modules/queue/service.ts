/**
 * Builds what a visitor sees of the queue. Everything except `mine` and the
 * owner-only `result` is the same for all viewers, so the per-viewer part is a
 * cheap pass over the shared one. Ownership follows the browser's owner id,
 * never the fingerprint (identity/resolve.ts).
 */
import { owns } from "../../identity/resolve.ts";
import { isShareable } from "../gallery/shareable.ts";
import { etaMs, runningRemainingMs, toSeconds, type EtaInput } from "../../scheduler/eta.ts";
import type { FcfsScheduler } from "../../scheduler/fcfs.ts";
import { reasonView } from "../../storage/finish-reason.ts";
import { finishedStatuses, type SubmissionRecord, type SubmissionStore } from "../../storage/submissions.ts";
import type { SubmissionView } from "../submissions/model.ts";
import type { QueueView, TreeStatus } from "./model.ts";

export interface QueueSources {
  store: SubmissionStore;
  scheduler: FcfsScheduler;
  slotMs: number;
  recentInView: number;
  tree: () => TreeStatus;
  acceptingUploads: () => boolean;
  now: () => number;
}

export const shortIdOf = (uuid: string) => uuid.slice(0, 8);

/** The queue's clock and state for ETAs; `eta` is null while the queue is paused (no estimate then). */
interface EtaState {
  eta: EtaInput;
  paused: boolean;
}

/** The shared part of a submission's view; `mine`, `result` and the wording of `reason` are filled per viewer. */
function baseView(record: SubmissionRecord, { eta, paused }: EtaState, position: number | null, running: boolean): SubmissionView {
  return {
    uuid: record.uuid,
    shortId: shortIdOf(record.uuid),
    status: record.status,
    position,
    etaSeconds: position === null || paused ? null : toSeconds(etaMs(eta, position - 1)),
    remainingSeconds: running ? toSeconds(runningRemainingMs(eta)) : null,
    mine: false,
    timestamp: record.timestamp,
    language: record.language,
    reason: reasonView(record, false),
  };
}

/** What the owner's queue page needs to offer Share or Stop sharing. */
function galleryView(record: SubmissionRecord): SubmissionView["gallery"] {
  return { shareable: isShareable(record), shared: record.shared !== undefined, title: record.shared?.title ?? null, hidden: record.galleryHiddenAt !== undefined };
}

function forViewer(view: SubmissionView, record: SubmissionRecord, ownerId: string | null): SubmissionView {
  if (!owns(record, ownerId)) return view;
  const mine = { ...view, mine: true, reason: reasonView(record, true), gallery: galleryView(record) };
  return record.result === undefined ? mine : { ...mine, result: record.result };
}

export class QueueService {
  constructor(private readonly sources: QueueSources) {}

  /** What ETAs are computed from now: the running program's start, or the held last frame's end. */
  etaInput(): EtaInput {
    const { scheduler } = this.sources;
    return {
      nowMs: this.sources.now(),
      slotMs: this.sources.slotMs,
      runningStartedAtMs: scheduler.running?.startedAtMs ?? null,
      holdMinUntilMs: scheduler.heldFrame?.minUntilMs ?? null,
    };
  }

  private etaState(): EtaState {
    return { eta: this.etaInput(), paused: this.sources.scheduler.isPaused };
  }

  /** The view of one submission, as the browser with `ownerId` may see it; undefined when unknown. */
  submission(uuid: string, ownerId: string | null): SubmissionView | undefined {
    const record = this.sources.store.get(uuid);
    if (record === undefined) return undefined;
    const scheduler = this.sources.scheduler;
    const isRunning = scheduler.running?.uuid === uuid;
    // A record still marked running while the scheduler moved on is shown as it is on disk.
    return forViewer(baseView(record, this.etaState(), scheduler.positionOf(uuid), isRunning), record, ownerId);
  }

  /** A builder that renders the queue for many viewers from one snapshot of the state. */
  snapshot(): (ownerId: string | null) => QueueView {
    const { store, scheduler } = this.sources;
    const etaState = this.etaState();
    const { eta } = etaState;
    const runningRecord = scheduler.running === null ? undefined : store.get(scheduler.running.uuid);
    const running = runningRecord === undefined ? null : { record: runningRecord, view: baseView(runningRecord, etaState, null, true) };
    const pending: { record: SubmissionRecord; view: SubmissionView }[] = [];
    scheduler.pending.forEach((uuid, index) => {
      const record = store.get(uuid);
      if (record !== undefined) pending.push({ record, view: baseView(record, etaState, index + 1, false) });
    });
    const recent: { record: SubmissionRecord; view: SubmissionView }[] = [];
    const all = store.all();
    for (let i = all.length - 1; i >= 0 && recent.length < this.sources.recentInView; i--) {
      const record = all[i]!;
      if (finishedStatuses.includes(record.status)) recent.push({ record, view: baseView(record, etaState, null, false) });
    }
    const shared = {
      now: new Date(eta.nowMs).toISOString(),
      paused: scheduler.isPaused,
      slotSeconds: toSeconds(this.sources.slotMs),
      etaIsWorstCase: true,
      nextStartSeconds: etaState.paused ? null : toSeconds(etaMs(eta, scheduler.pending.length)),
      tree: this.sources.tree(),
      acceptingUploads: this.sources.acceptingUploads(),
      idleShow: scheduler.idleShowRunning,
    };
    const held = scheduler.heldFrame;
    const heldRecord = held === null ? undefined : store.get(held.uuid);
    return (ownerId) => ({
      ...shared,
      lastFrame:
        held === null || heldRecord === undefined
          ? null
          : { uuid: held.uuid, shortId: shortIdOf(held.uuid), mine: owns(heldRecord, ownerId), remainingSeconds: toSeconds(Math.max(0, held.untilMs - eta.nowMs)) },
      running: running === null ? null : forViewer(running.view, running.record, ownerId),
      pending: pending.map((entry) => forViewer(entry.view, entry.record, ownerId)),
      recent: recent.map((entry) => forViewer(entry.view, entry.record, ownerId)),
    });
  }

  view(ownerId: string | null): QueueView {
    return this.snapshot()(ownerId);
  }
}
