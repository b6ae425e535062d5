/**
 * The host status file (version 1): what tree-host on the Pi knows about the
 * appliance, written atomically to /var/lib/tree-host/status.json on every
 * change and mounted read-only into the app container at /run/tree-host.
 * This is the one copy of the contract between tree-host (systemd/tree-host.py),
 * tree-app (host-status/reader.ts) and the appliance test; every field is
 * present, null when unknown.
 */
import { Type as t, type Static, type TSchema } from "@sinclair/typebox";

const nullable = <T extends TSchema>(schema: T) => t.Union([schema, t.Null()]);
// Literals written out (not mapped from an array) so Elysia's response types keep them.
const NetworkModeSchema = t.Union([t.Literal("hotspot"), t.Literal("venue"), t.Literal("ethernet")]);

export const HostPhaseSchema = t.Union([t.Literal("booting"), t.Literal("waiting-for-network"), t.Literal("hotspot-fallback"), t.Literal("ready"), t.Literal("led-fault")]);
export type HostPhase = Static<typeof HostPhaseSchema>;
export const hostPhases: readonly HostPhase[] = HostPhaseSchema.anyOf.map((literal) => literal.const);

export const HostStatusSchema = t.Object({
  version: t.Literal(1),
  updatedAt: t.String({ description: "when tree-host wrote it (ISO 8601, UTC)" }),
  phase: HostPhaseSchema,
  network: t.Object({
    /** The configured mode. */
    mode: NetworkModeSchema,
    /** What is actually up now. */
    active: nullable(NetworkModeSchema),
    ssid: nullable(t.String()),
    /** IPv4 addresses on wlan0/eth0, in force. */
    addresses: t.Array(t.String()),
    /** The URL for the QR code: web.public_url if set, else http://<address in force>/. */
    publicUrl: t.String(),
    fellBack: t.Boolean(),
    /** A sentence, e.g. `Could not join "Venue" within 60 s: wrong password.` */
    fallbackReason: nullable(t.String()),
  }),
  images: t.Object({ result: t.Union([t.Literal("loaded"), t.Literal("failed"), t.Literal("pending")]), detail: nullable(t.String()) }),
  /** Docker's health/state words per container. */
  containers: t.Object({ app: nullable(t.String()), gpio: nullable(t.String()) }),
  led: t.Object({ driver: nullable(t.String()), lastError: nullable(t.String()) }),
  /** Every problem as a sentence an operator can act on. */
  problems: t.Array(t.String()),
});
export type HostStatus = Static<typeof HostStatusSchema>;
