/**
 * The composition root of `tree-app serve`, without the listening socket: opens
 * the data dir, recovers the queue, connects the daemon client, wires the
 * scheduler to the sandbox and the HTTP modules to all of it. `cli/serve.ts`
 * adds flags and `listen`; tests call this with their own runner or checker and
 * drive `app.handle`. Every start has its stop.
 */
import { mkdirSync } from "node:fs";
import { hostname } from "node:os";
import type { PackedFrame } from "../../protocol/frame.ts";
import type { Config } from "./config.ts";
import type { AppContext, Asset, CheckProgram, ClientIp, SandboxStatus } from "./context.ts";
import { DaemonClient } from "./daemon-client/client.ts";
import { daemonState } from "./daemon-client/daemon-state.ts";
import { HostStatusReader } from "./host-status/reader.ts";
import { HostAllowList } from "./host-allow-list.ts";
import { canonicalIp } from "./identity/client-address.ts";
import { loadOrCreateSecret } from "./identity/secret.ts";
import { UserIdCookies } from "./identity/user-id.ts";
import { LiveBroadcaster } from "./modules/live/broadcaster.ts";
import { liveTopic, onlineMessage } from "./modules/live/index.ts";
import { addressBlockList, BlockList } from "./modules/operator/block-list.ts";
import { OperatorSessions, operatorLoginAttemptsPerMinute } from "./modules/operator/sessions.ts";
import { PreviewService } from "./modules/preview/service.ts";
import { SeenClients } from "./modules/portal/seen-clients.ts";
import { QueueEvents } from "./modules/queue/events.ts";
import type { TreeStatus } from "./modules/queue/model.ts";
import { QueueService } from "./modules/queue/service.ts";
import { SlidingWindowLimiter } from "./modules/submissions/rate-limit.ts";
import { FcfsScheduler } from "./scheduler/fcfs.ts";
import { createHandOver } from "./scheduler/hand-over.ts";
import { createIdleShow } from "./scheduler/idle-show.ts";
import { createStatusShow } from "./scheduler/status-show.ts";
import { createJobRunner, type RunProgram } from "./scheduler/job-runner.ts";
import { planRecovery } from "./scheduler/recovery.ts";
import { createServer, type TreeApp } from "./server.ts";
import { SubmissionStore, type LoadReport } from "./storage/submissions.ts";

/** Room around the program for JSON escaping (worst case \uXXXX: 6 bytes per byte) or multipart framing. */
export const uploadBodyOverheadFactor = 6;
export const uploadBodyOverheadBytes = 16 * 1024;
/** How long a held last frame may stand in for the next program's first one (scheduler/hand-over.ts). */
export const handOverPatienceMs = 1000;

export interface ApplianceOptions {
  config: Config;
  runProgram: RunProgram;
  checkProgram: CheckProgram;
  maxUploadBytes: number;
  sandbox: SandboxStatus;
  ledPositions: (ledCount: number) => [number, number, number][];
  assets?: Map<string, Asset>;
  /**
   * Prepare the next program while the current one runs or holds (scheduler/job-runner.ts), so
   * turns switch within a frame. Needs a runProgram that honours `go` (runner.ts does); default off.
   */
  prepareStarts?: boolean;
  /** The idle show's Python source; none = no idle show. */
  idleShowSource?: string;
  clientIp?: ClientIp;
  /** The machine's name, allowed as a Host (with `.local`); default os.hostname(). */
  machineHostname?: string;
  log?: (message: string) => void;
  /** Wall clock, for timestamps people read. */
  now?: () => number;
  /** Monotonic milliseconds (default performance.now), for every duration: a jump of the wall clock changes none. */
  monotonicNow?: () => number;
}

export interface Appliance {
  app: TreeApp;
  ctx: AppContext;
  daemon: DaemonClient;
  recovery: LoadReport & { requeued: number; interrupted: number };
  /** Connects the daemon and starts the scheduler (call after listen, so the live view has a server). */
  start(): Promise<void>;
  stop(): Promise<void>;
}

const defaultClientIp: ClientIp = (request, server) => server?.requestIP(request)?.address ?? "unknown";

export async function createAppliance(options: ApplianceOptions): Promise<Appliance> {
  const { config } = options;
  const log = options.log ?? ((message: string) => console.log(`tree-app: ${message}`));
  const now = options.now ?? Date.now;
  const monotonicNow = options.monotonicNow ?? (() => performance.now());
  mkdirSync(config.dataDir, { recursive: true, mode: 0o700 });
  const secret = loadOrCreateSecret(config.dataDir);
  const { store, report } = await SubmissionStore.open(config.dataDir);
  const plan = planRecovery(store.all(), new Date(now()));
  for (const { uuid, patch } of plan.updates) await store.update(uuid, patch);
  const interrupted = plan.updates.filter((update) => update.patch.status === "failed").length;

  let app: TreeApp | undefined;
  const publish = (data: string | Uint8Array) => {
    app?.server?.publish(liveTopic, data);
  };

  const hostStatus = new HostStatusReader({ path: config.hostStatus, log });
  const daemon = new DaemonClient({
    socketPath: config.gpioSocket,
    log,
    onStatus: (online) => {
      publish(onlineMessage(online));
      events.notify();
    },
  });
  const tree = (): TreeStatus => ({ online: daemon.online, ledCount: daemon.info?.ledCount ?? config.fallbackLedCount });

  const live = new LiveBroadcaster({ fps: config.liveFps, daemon, ledCount: () => tree().ledCount, publish, now: monotonicNow });
  let framesSent = 0;
  const onFrame = (frame: PackedFrame) => {
    framesSent += 1;
    daemon.sendFrame(frame);
    live.noteFrame(frame);
  };
  const darken = async () => {
    live.noteOff();
    await daemon.off();
  };
  const handOver = createHandOver({ framesSent: () => framesSent, darken, patienceMs: handOverPatienceMs, log });

  // The flash limit judges the light the strip emits: the daemon's cap and power budget, full drive until it has said.
  const runProgram: RunProgram = (run) =>
    options.runProgram({ ...run, emission: { brightnessCapPercent: daemon.info?.brightnessCapPercent ?? 100, maxChannelSum: daemon.info?.maxChannelSum } });
  const slotMs = config.slotSeconds * 1000;
  const runJob = createJobRunner({
    store,
    runProgram,
    ledCount: () => tree().ledCount,
    slotMs: () => slotMs,
    onFrame,
    historyLimit: config.historyLimit,
    prepareStarts: options.prepareStarts === true,
    log,
  });
  const idleShow =
    config.idleShow && options.idleShowSource !== undefined
      ? createIdleShow({ source: options.idleShowSource, runProgram, ledCount: () => tree().ledCount, onFrame, afterShow: darken, log })
      : undefined;
  // On an appliance the tree shows the host's state instead while it is not ready (status-show.ts).
  const runIdle =
    config.hostStatus === undefined
      ? idleShow
      : createStatusShow({ hostStatus, runIdle: idleShow, ledCount: () => tree().ledCount, onFrame, darken, monotonicNow, log });

  // `events` is referenced by callbacks above; they only fire after construction finishes.
  let events: QueueEvents;
  const scheduler = new FcfsScheduler({
    runJob,
    runIdle,
    minShowMs: Math.min(config.minShowSeconds, config.slotSeconds) * 1000,
    idleAfterMs: config.idleAfterSeconds * 1000,
    afterTurn: darken,
    handOver,
    prepareJob: runJob.prepare,
    onChange: () => events.notify(),
    now,
    monotonicNow,
    log,
  });
  const queue = new QueueService({
    store,
    scheduler,
    slotMs,
    recentInView: config.recentInView,
    tree,
    acceptingUploads: () => options.sandbox.ready,
    now,
  });
  events = new QueueEvents(() => queue.snapshot(), config.maxQueueListeners);
  const peerIp = options.clientIp ?? defaultClientIp;

  const ctx: AppContext = {
    config,
    secret,
    store,
    scheduler,
    queue,
    events,
    live,
    previews: new PreviewService({ config, runProgram: options.runProgram, checkProgram: options.checkProgram, sandbox: options.sandbox, ledCount: () => tree().ledCount, now, log }),
    identity: new UserIdCookies(secret),
    blockList: new BlockList(config.dataDir),
    blockedAddresses: addressBlockList(config.dataDir),
    hosts: new HostAllowList({ publicUrl: config.publicUrl, machineHostname: options.machineHostname ?? hostname() }),
    operator: new OperatorSessions(secret, config.operatorPassword, monotonicNow),
    seenClients: new SeenClients(monotonicNow),
    uploadLimiter: new SlidingWindowLimiter(config.uploadsPerMinutePerIp, 60_000, monotonicNow),
    loginLimiter: new SlidingWindowLimiter(operatorLoginAttemptsPerMinute, 60_000, monotonicNow),
    uploadLimits: {
      maxSourceBytes: options.maxUploadBytes,
      maxBodyBytes: options.maxUploadBytes * uploadBodyOverheadFactor + uploadBodyOverheadBytes,
    },
    tree,
    sandbox: options.sandbox,
    checkProgram: options.checkProgram,
    ledPositions: options.ledPositions,
    assets: options.assets ?? new Map(),
    clientIp: (request, server) => canonicalIp(peerIp(request, server)),
    log,
    now,
    hostStatus,
    publicUrl: () => config.publicUrl ?? hostStatus.view.status?.network.publicUrl,
    daemonState: () => daemonState(daemon),
  };
  app = createServer(ctx);
  // The operator page and /qr follow the host's changes through the queue's event stream.
  hostStatus.subscribe(() => events.notify());
  let started = false;

  return {
    app,
    ctx,
    daemon,
    recovery: { ...report, requeued: plan.pending.length, interrupted },
    async start() {
      started = true;
      hostStatus.start();
      await daemon.start();
      // Never run code when the sandbox is unusable: the queue is shown and kept, but nothing starts.
      if (options.sandbox.ready) scheduler.start(plan.pending);
      else scheduler.hold(plan.pending);
    },
    async stop() {
      hostStatus.stop();
      live.stop();
      await ctx.previews.stopAll();
      events.close();
      if (started && options.sandbox.ready) await scheduler.stop();
      await store.flush();
      if (started) await daemon.off();
      daemon.stop();
    },
  };
}
