/** Schemas of the gallery API (API.md, "Gallery"). The gallery and queue pages import these types. */
import { Type as t, type Static } from "@sinclair/typebox";
import { galleryTitleMaxChars } from "./title.ts";

/** Entries per page unless `limit` asks for fewer (each carries its code, up to 64 KiB). */
export const galleryPageSize = 20;
export const galleryMaxPageSize = 50;
/** `<shared-at milliseconds>-<sequence>` of the last entry a page showed. */
const cursorPattern = "^[0-9]{1,15}-[0-9]{1,10}$";

/** `POST /api/submissions/:uuid/share`. The title's own rules (trim, one line, no direction controls, 60 characters) are checked by title.ts. */
export const ShareBodySchema = t.Object(
  {
    title: t.Optional(
      t.String({
        // Room for surrounding spaces; the limit that counts is checked after trimming.
        maxLength: galleryTitleMaxChars * 4,
        error: `title must be text of at most ${galleryTitleMaxChars} characters`,
      }),
    ),
  },
  { additionalProperties: false, error: `send a JSON object, {"title": "…"} (the title is optional)` },
);
export type ShareBody = Static<typeof ShareBodySchema>;

export const GalleryQuerySchema = t.Object({
  before: t.Optional(t.String({ pattern: cursorPattern, error: "before must be the `next` value of a previous gallery page" })),
  /** A whole number from 1 to galleryMaxPageSize (a query string is text; service.ts reads it). */
  limit: t.Optional(t.String({ pattern: "^[1-9][0-9]?$", error: `limit must be a whole number from 1 to ${galleryMaxPageSize}` })),
});

export const GalleryEntrySchema = t.Object({
  uuid: t.String(),
  shortId: t.String(),
  /** Plain text, "" when its owner gave none: show it as text, never as HTML. */
  title: t.String(),
  /** The program, as it ran. */
  code: t.String(),
  /** When it ran (its start on the tree), ISO 8601. */
  ranAt: t.String(),
  sharedAt: t.String(),
  /** True for the browser that shared it (it may stop sharing). */
  mine: t.Boolean(),
  /** Operator listing only: hidden from visitors by the operator. */
  hidden: t.Optional(t.Boolean()),
});
export type GalleryEntry = Static<typeof GalleryEntrySchema>;

export const GalleryPageSchema = t.Object({
  /** Newest shared first. */
  entries: t.Array(GalleryEntrySchema),
  /** Pass as `before` for the next, older page; null on the last page. */
  next: t.Union([t.String(), t.Null()]),
});
export type GalleryPage = Static<typeof GalleryPageSchema>;

/** The owner's answer to share and unshare. */
export const ShareStateSchema = t.Object({
  uuid: t.String(),
  shared: t.Boolean(),
  title: t.Union([t.String(), t.Null()]),
  /** The operator has hidden it: it is not listed even while shared. */
  hidden: t.Boolean(),
});
export type ShareState = Static<typeof ShareStateSchema>;

export const OperatorGallerySessionSchema = t.Object({ signedIn: t.Boolean() });
