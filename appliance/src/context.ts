/**
 * Everything the HTTP modules need, built once by appliance.ts and handed to
 * each module as one object (no positional lists, no globals).
 */
import type { Config } from "./config.ts";
import type { HostAllowList } from "./host-allow-list.ts";
import type { HostStatusSource } from "./host-status/reader.ts";
import type { LiveBroadcaster } from "./modules/live/broadcaster.ts";
import type { BlockList } from "./modules/operator/block-list.ts";
import type { OperatorSessions } from "./modules/operator/sessions.ts";
import type { PreviewService } from "./modules/preview/service.ts";
import type { SeenClients } from "./modules/portal/seen-clients.ts";
import type { QueueEvents } from "./modules/queue/events.ts";
import type { TreeStatus } from "./modules/queue/model.ts";
import type { QueueService } from "./modules/queue/service.ts";
import type { SlidingWindowLimiter } from "./modules/submissions/rate-limit.ts";
import type { UploadLimits } from "./modules/submissions/upload-body.ts";
import type { FcfsScheduler } from "./scheduler/fcfs.ts";
import type { UserIdCookies } from "./identity/user-id.ts";
import type { DaemonState } from "./daemon-client/daemon-state.ts";
import type { SubmissionStore } from "./storage/submissions.ts";

export type CheckVerdict = { ok: true } | { ok: false; error: string; line: number; column: number; problems?: { line: number; column: number; message: string }[] };
export type CheckProgram = (source: string) => Promise<CheckVerdict>;

export interface Asset {
  body: Uint8Array;
  contentType: string;
}

export interface SandboxStatus {
  ready: boolean;
  /** Why uploads are refused, for the operator and the 503 message. */
  reason?: string;
}

/** The part of Bun's server that knows a request's peer address. */
export interface PeerAddressSource {
  requestIP(request: Request): { address: string } | null;
}
/** The client's address, in canonicalIp spelling (identity/client-address.ts). */
export type ClientIp = (request: Request, server: PeerAddressSource | null) => string;

export interface AppContext {
  config: Config;
  secret: string;
  store: SubmissionStore;
  scheduler: FcfsScheduler;
  queue: QueueService;
  events: QueueEvents;
  live: LiveBroadcaster;
  /** "Try it" runs: frames to their owner's page only, never to the LEDs. */
  previews: PreviewService;
  identity: UserIdCookies;
  /** user_ids the operator blocked. */
  blockList: BlockList;
  /** Client addresses the operator blocked (canonicalIp spelling). */
  blockedAddresses: BlockList;
  /** The Host names this tree answers to (DNS-rebinding guard). */
  hosts: HostAllowList;
  operator: OperatorSessions;
  seenClients: SeenClients;
  uploadLimiter: SlidingWindowLimiter;
  loginLimiter: SlidingWindowLimiter;
  uploadLimits: UploadLimits;
  tree: () => TreeStatus;
  sandbox: SandboxStatus;
  checkProgram: CheckProgram;
  ledPositions: (ledCount: number) => [number, number, number][];
  assets: Map<string, Asset>;
  clientIp: ClientIp;
  log: (message: string) => void;
  now: () => number;
  /** What tree-host reports about the Pi (host-status/reader.ts); "not on an appliance" without --host-status. */
  hostStatus: HostStatusSource;
  /** The base URL visitors reach the tree at: the configured publicUrl, else the host's address in force, else none (the request's origin). */
  publicUrl: () => string | undefined;
  /** The LED daemon as the operator sees it (daemon-client/client.ts). */
  daemonState: () => Promise<DaemonState>;
}
