/**
 * The error a visitor reads when the harness could not send its own error
 * record: taken from the sandbox's stderr. A Python exception is kept whole
 * (type and message, however many lines, up to a limit), never only its last
 * line, which for a message of several lines would lose the type.
 */

/** Lines of an error kept for its owner (the whole text stays in `stderr`); harness.py keeps as many. */
export const maxErrorLines = 8;

export function lastLine(text: string): string | undefined {
  const lines = text.split("\n").map((line) => line.trim()).filter((line) => line.length > 0);
  return lines[lines.length - 1];
}

/** The last exception of a traceback in `text`, or else its last line. */
export function lastException(text: string): string | undefined {
  const lines = text.split("\n").map((line) => line.trimEnd());
  const header = lines.lastIndexOf("Traceback (most recent call last):");
  if (header < 0) return lastLine(text);
  // Frames and their source lines are indented; the exception starts at the first line that is not.
  let start = header + 1;
  while (start < lines.length && lines[start]!.startsWith(" ")) start += 1;
  const block = lines.slice(start).filter((line) => line.length > 0);
  if (block.length === 0) return lastLine(text);
  if (block.length <= maxErrorLines) return block.join("\n");
  return [...block.slice(0, maxErrorLines - 1), `... (${block.length - maxErrorLines + 1} more lines in the error output)`].join("\n");
}
