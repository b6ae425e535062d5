/**
 * Shapes of the HTTP API the pages read (appliance/API.md), imported as types from the server's
 * TypeBox models so there is only one definition. Type-only: nothing of the server reaches the bundle.
 */
import type { Static } from "@sinclair/typebox";
import type { HealthSchema, LayoutSchema } from "../../../appliance/src/modules/queue/model.ts";
import type { ErrorBody } from "../../../appliance/src/modules/submissions/model.ts";

export type { QueueView } from "../../../appliance/src/modules/queue/model.ts";
export type { SubmissionView, UploadAccepted } from "../../../appliance/src/modules/submissions/model.ts";
export type { GalleryEntry, GalleryPage, ShareState } from "../../../appliance/src/modules/gallery/model.ts";
export type { RunResult } from "../../../appliance/src/sandbox/run-result.ts";

export type ApiError = ErrorBody;
export type Layout = Static<typeof LayoutSchema>;
export type Health = Static<typeof HealthSchema>;
