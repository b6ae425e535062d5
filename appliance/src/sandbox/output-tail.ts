/**
 * Keeps the last `tailBytes` of a stream and counts everything that passed,
 * so a program's output is bounded in memory however much it prints.
 */
export class OutputTail {
  readonly #tailBytes: number;
  #buffer: Uint8Array;
  #length = 0;
  total = 0;

  constructor(tailBytes: number) {
    this.#tailBytes = tailBytes;
    this.#buffer = new Uint8Array(tailBytes);
  }

  push(chunk: Uint8Array): void {
    this.total += chunk.length;
    if (chunk.length >= this.#tailBytes) {
      this.#buffer.set(chunk.subarray(chunk.length - this.#tailBytes));
      this.#length = this.#tailBytes;
      return;
    }
    const keep = Math.min(this.#length, this.#tailBytes - chunk.length);
    this.#buffer.copyWithin(0, this.#length - keep, this.#length);
    this.#buffer.set(chunk, keep);
    this.#length = keep + chunk.length;
  }

  /** The kept tail as text; says how much was cut off before it. */
  text(): string {
    const decoded = new TextDecoder("utf-8", { fatal: false }).decode(this.#buffer.subarray(0, this.#length));
    const cut = this.total - this.#length;
    // A cut may split a UTF-8 sequence: drop the replacement character it leaves at the start.
    return cut > 0 ? `[… ${cut} earlier bytes not kept]\n${decoded.replace(/^\uFFFD+/, "")}` : decoded;
  }
}
