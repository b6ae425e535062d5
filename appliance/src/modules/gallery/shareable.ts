/**
 * Which submissions may be in the gallery. Only a program that really ran on the tree: it ran to
 * its end or through its whole turn, or it stopped with an error after it had shown something. A
 * program that never ran (waiting, cancelled, removed, refused) or that the operator skipped has
 * nothing to show for itself, so its owner is told why instead.
 */
import { reasonOf } from "../../storage/finish-reason.ts";
import type { SubmissionRecord } from "../../storage/submissions.ts";

/** Why the owner cannot share this (a sentence), or null when they can. */
export function shareRefusal(record: SubmissionRecord): string | null {
  const reason = reasonOf(record);
  switch (reason) {
    case null:
      return "This program has not run yet: you can share it once it has been on the tree.";
    case "ran_to_end":
    case "full_slot":
      return null;
    case "error":
      return (record.result?.frames ?? 0) > 0 ? null : "This program stopped with an error before it lit the tree, so there is nothing to share: fix it, run it again, then share it.";
    case "cancelled":
      return "This program was cancelled before it ran, so it cannot be shared.";
    case "removed":
    case "skipped":
      return "The operator stopped this program, so it cannot be shared.";
    case "fault":
    case "interrupted":
      return "The tree could not run this program to the end (not your fault): run it again, then share it.";
  }
}

export const isShareable = (record: SubmissionRecord) => shareRefusal(record) === null;
