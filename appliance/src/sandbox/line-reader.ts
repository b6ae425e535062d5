/**
 * Splits a hostile byte stream into lines under a byte cap. A line longer than
 * the cap is reported once, as soon as it passes the cap (a sender that never
 * writes a newline is caught at once, not never), and then skipped up to its
 * newline, so the reader never holds more than the cap, whatever the sender does.
 */
/**
 * A line's bytes (newline removed) are only valid until the next `push`: a line
 * that lies within one chunk is a view of it, not a copy (frames are decoded
 * straight from these bytes, thousands a second).
 */
export type LineEvent = { kind: "line"; bytes: Uint8Array } | { kind: "oversized"; bytes: number };

const newline = 0x0a;

export class CappedLineReader {
  readonly #maxLineBytes: number;
  #pending: Uint8Array[] = [];
  #pendingBytes = 0;
  /** Inside an oversized line (already reported): discard up to its newline. */
  #skipping = false;

  constructor(maxLineBytes: number) {
    this.#maxLineBytes = maxLineBytes;
  }

  /** Feeds one chunk; returns the complete lines and the oversize reports it produced. */
  push(chunk: Uint8Array): LineEvent[] {
    const events: LineEvent[] = [];
    let start = 0;
    while (start < chunk.length) {
      const end = chunk.indexOf(newline, start);
      const stop = end === -1 ? chunk.length : end;
      const piece = chunk.subarray(start, stop);
      if (this.#skipping) {
        // Already reported; the rest of the line is dropped unread.
      } else if (this.#pendingBytes + piece.length > this.#maxLineBytes) {
        events.push({ kind: "oversized", bytes: this.#pendingBytes + piece.length });
        this.#skipping = true;
        this.#pending = [];
        this.#pendingBytes = 0;
      } else if (end !== -1 && this.#pendingBytes === 0) {
        // The whole line is in this chunk: no copy.
        events.push({ kind: "line", bytes: piece });
        start = end + 1;
        continue;
      } else if (piece.length > 0) {
        // Copy: the caller may reuse its buffer.
        this.#pending.push(piece.slice());
        this.#pendingBytes += piece.length;
      }
      if (end === -1) break;
      if (this.#skipping) this.#skipping = false;
      else events.push(this.#finishLine());
      start = end + 1;
    }
    return events;
  }

  /** Whatever is left when the stream ends without a final newline. */
  end(): LineEvent[] {
    if (this.#skipping) {
      this.#skipping = false;
      return [];
    }
    if (this.#pendingBytes === 0) return [];
    return [this.#finishLine()];
  }

  #finishLine(): LineEvent {
    const joined = new Uint8Array(this.#pendingBytes);
    let offset = 0;
    for (const part of this.#pending) {
      joined.set(part, offset);
      offset += part.length;
    }
    this.#pending = [];
    this.#pendingBytes = 0;
    return { kind: "line", bytes: joined };
  }
}
