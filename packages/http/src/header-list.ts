import { LOWER, latin1 } from "./bytes.js";
import type { HeaderList } from "./types.js";

/**
 * A {@link HeaderList} over the bytes of a header (or trailer) section. It keeps four offsets
 * per field line into `raw` and decodes a name or value (latin1, so obs-text survives byte for
 * byte) only when asked, so a request whose headers nobody reads costs no strings.
 *
 * @example
 * const list = new RawHeaderList(raw, offsets, 2);
 * list.get("content-type"); // "text/plain"
 */
export class RawHeaderList implements HeaderList {
  readonly size: number;
  readonly #raw: Uint8Array;
  /** [nameStart, nameEnd, valueStart, valueEnd] per field, relative to `raw`. */
  readonly #offsets: Int32Array;

  /** @param offsets four offsets per field line into `raw`; the bytes are already validated. */
  constructor(raw: Uint8Array, offsets: Int32Array, count: number) {
    this.#raw = raw;
    this.#offsets = offsets;
    this.size = count;
  }

  /** The value of `name` (case-insensitive); duplicates joined with ", ". */
  get(name: string): string | undefined {
    let out: string | undefined;
    for (let i = 0; i < this.size; i++) {
      if (!this.#nameIs(i, name)) continue;
      const value = this.#value(i);
      out = out === undefined ? value : `${out}, ${value}`;
    }
    return out;
  }

  /** Every value of `name`, in the order received. */
  getAll(name: string): string[] {
    const out: string[] = [];
    for (let i = 0; i < this.size; i++) {
      if (this.#nameIs(i, name)) out.push(this.#value(i));
    }
    return out;
  }

  has(name: string): boolean {
    for (let i = 0; i < this.size; i++) {
      if (this.#nameIs(i, name)) return true;
    }
    return false;
  }

  /** The name of field line `index` as the client spelled it. */
  nameAt(index: number): string {
    const o = this.#offsets;
    return latin1(this.#raw, o[index * 4]!, o[index * 4 + 1]!);
  }

  /** The value of field line `index`, without surrounding whitespace. */
  valueAt(index: number): string {
    return this.#value(index);
  }

  *[Symbol.iterator](): IterableIterator<[name: string, value: string]> {
    for (let i = 0; i < this.size; i++) yield [this.nameAt(i), this.#value(i)];
  }

  /** Plain `[name, value]` pairs, handy for logging and tests. */
  toJSON(): [string, string][] {
    return [...this];
  }

  #value(i: number): string {
    const o = this.#offsets;
    return latin1(this.#raw, o[i * 4 + 2]!, o[i * 4 + 3]!);
  }

  /** Case-insensitive comparison of field `i`'s name with `name`, without building a string. */
  #nameIs(i: number, name: string): boolean {
    const o = this.#offsets;
    const start = o[i * 4]!;
    if (o[i * 4 + 1]! - start !== name.length) return false;
    const raw = this.#raw;
    for (let k = 0; k < name.length; k++) {
      const c = name.charCodeAt(k);
      if (c > 255 || LOWER[raw[start + k]!] !== LOWER[c]) return false;
    }
    return true;
  }
}
