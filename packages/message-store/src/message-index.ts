import type { FileHandle } from "node:fs/promises";
import { readRange } from "./file-layer.js";
import { decodeMessage } from "./record.js";
import type { StoredMessage } from "./types.js";

/** The log as opened: where the messages found at open are read from, on demand. */
export interface LogSource {
  handle: FileHandle;
  file: string;
  /** End of the last complete record at open. */
  end: number;
}

/** A growable list of numbers in a Float64Array: a million pushes cost half of a JS array's. */
class NumberList {
  #data = new Float64Array(1024);
  #length = 0;

  get length(): number {
    return this.#length;
  }

  push(value: number): void {
    if (this.#length === this.#data.length) {
      const bigger = new Float64Array(this.#data.length * 2);
      bigger.set(this.#data);
      this.#data = bigger;
    }
    this.#data[this.#length++] = value;
  }

  at(i: number): number {
    return this.#data[i]!;
  }
}

/**
 * The messages since the last clear, in order, addressable by position and by sequence number.
 * Messages found at open stay on disk as byte offsets and are read and decoded per page: holding
 * (or even parsing) a million records costs more memory and startup time than it saves, and a
 * page is one positional read from the page cache. Appended messages are kept as objects.
 */
export class MessageIndex {
  readonly #seqs = new NumberList();
  /** Byte offsets of the records found at open, for positions below `#onDisk`. */
  readonly #offsets = new NumberList();
  readonly #messages: StoredMessage[] = [];
  #onDisk = 0;
  #source: LogSource | undefined;

  get length(): number {
    return this.#seqs.length;
  }

  /** Adds a message whose record starts at byte `offset` of the log (read on demand). */
  addOffset(seq: number, offset: number): void {
    this.#seqs.push(seq);
    this.#offsets.push(offset);
    this.#onDisk++;
  }

  /** Adds a message held in memory; every later message is in memory too. */
  add(seq: number, message: StoredMessage): void {
    this.#seqs.push(seq);
    this.#messages.push(message);
  }

  /** Where messages added with `addOffset` are read from. */
  attach(source: LogSource): void {
    this.#source = source;
  }

  /** Sequence number at position `i`. */
  seqAt(i: number): number {
    return this.#seqs.at(i);
  }

  /**
   * Messages at positions `[start, end)`.
   *
   * @throws MessageStoreError WW_STORE_CORRUPT when a record read back does not decode;
   *   the file system's error when the read fails (the handle is closed after a clear)
   */
  async slice(start: number, end: number): Promise<StoredMessage[]> {
    const out: StoredMessage[] = [];
    const diskEnd = Math.min(end, this.#onDisk);
    if (start < diskEnd) await this.#read(start, diskEnd, out);
    for (let i = Math.max(start, this.#onDisk); i < end; i++) {
      out.push(this.#messages[i - this.#onDisk]!);
    }
    return out;
  }

  async #read(start: number, end: number, out: StoredMessage[]): Promise<void> {
    const source = this.#source!;
    const offsets = this.#offsets;
    const from = offsets.at(start);
    const to = end < this.#onDisk ? offsets.at(end) : source.end;
    const bytes = await readRange(source.handle, from, to - from);
    if (bytes.length < to - from) {
      throw new Error(`${source.file} ended early at byte ${from + bytes.length}`);
    }
    for (let i = start; i < end; i++) {
      const lineStart = offsets.at(i) - from;
      const lineEnd = (i + 1 < this.#onDisk ? offsets.at(i + 1) : source.end) - from - 1;
      out.push(
        decodeMessage(bytes, lineStart, lineEnd, this.#seqs.at(i), source.file, offsets.at(i)),
      );
    }
  }

  /** The first position whose sequence number is greater than `seq` (length if none). */
  firstAfter(seq: number): number {
    const seqs = this.#seqs;
    let lo = 0;
    let hi = seqs.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (seqs.at(mid) <= seq) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}
