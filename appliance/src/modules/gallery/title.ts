/**
 * A gallery title: optional plain text, one line, at most `galleryTitleMaxChars` characters
 * (counted as a person counts them: code points, so an emoji is one) after trimming. Control
 * characters (line breaks and tabs among them) and the invisible direction controls that make text
 * read differently than it is are refused with a sentence, never silently removed. Whatever passes
 * is still only ever shown as text.
 */
import { AppError } from "../../errors.ts";

export const galleryTitleMaxChars = 60;

const controlCharacter = /[\p{Cc}\u2028\u2029]/u;
/** ALM, LRM, RLM, the embeddings and overrides U+202A-U+202E, the isolates U+2066-U+2069. */
const directionControl = /[\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/u;

const codePoint = (character: string) => `U+${character.codePointAt(0)!.toString(16).toUpperCase().padStart(4, "0")}`;

/** The title to store ("" for none); throws a validation error a visitor can act on. */
export function cleanTitle(raw: string | undefined): string {
  const title = (raw ?? "").trim();
  const control = controlCharacter.exec(title);
  if (control !== null) {
    throw new AppError("validation", `title: write the title on one line, without tabs or other control characters (found ${codePoint(control[0])}).`);
  }
  const direction = directionControl.exec(title);
  if (direction !== null) {
    throw new AppError(
      "validation",
      `title: remove the invisible text-direction character ${codePoint(direction[0])}: it can make a title read differently than it is written.`,
    );
  }
  const length = [...title].length;
  if (length > galleryTitleMaxChars) {
    throw new AppError("validation", `title: at most ${galleryTitleMaxChars} characters, this one has ${length}. Shorten it and share again.`);
  }
  return title;
}
