import { decodeMessage, NEWLINE } from "./record.js";
import type { StoredMessage } from "./types.js";

/**
 * The messages since the last clear, in order, addressable by position and by sequence number.
 * Messages read at open stay as byte offsets into the file's buffer and are decoded on first
 * use: parsing a million records up front costs more than the 2 s startup budget.
 */
export class MessageIndex {
  readonly #seqs: number[] = [];
  readonly #slots: Array<StoredMessage | number> = [];
  readonly #source: Buffer | undefined;
  readonly #file: string;

  constructor(file: string, source?: Buffer) {
    this.#file = file;
    this.#source = source;
  }

  get length(): number {
    return this.#seqs.length;
  }

  /** Adds a message whose record starts at `offset` of the source buffer (decoded lazily). */
  addOffset(seq: number, offset: number): void {
    this.#seqs.push(seq);
    this.#slots.push(offset);
  }

  add(seq: number, message: StoredMessage): void {
    this.#seqs.push(seq);
    this.#slots.push(message);
  }

  /** The message at position `i` (0 = oldest); `i` must be in range. */
  at(i: number): StoredMessage {
    const slot = this.#slots[i]!;
    if (typeof slot !== "number") return slot;
    const source = this.#source!;
    const message = decodeMessage(
      source,
      slot,
      source.indexOf(NEWLINE, slot),
      this.#seqs[i]!,
      this.#file,
    );
    this.#slots[i] = message;
    return message;
  }

  /** Messages at positions `[start, end)`. */
  slice(start: number, end: number): StoredMessage[] {
    const out = new Array<StoredMessage>(end - start);
    for (let i = start; i < end; i++) out[i - start] = this.at(i);
    return out;
  }

  /** The first position whose sequence number is greater than `seq` (length if none). */
  firstAfter(seq: number): number {
    const seqs = this.#seqs;
    let lo = 0;
    let hi = seqs.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (seqs[mid]! <= seq) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}
