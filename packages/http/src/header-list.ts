import type { HeaderList } from "./types.js";

/**
 * A {@link HeaderList} over a header (or trailer) section decoded once as latin1, so obs-text
 * survives byte for byte. It keeps four offsets per field line; names and values are sliced
 * out only when asked for, and lookups compare in place, without building a string per field.
 *
 * @example
 * const list = new RawHeaderList("Host: a\r\n", 0, [0, 4, 6, 7], 1);
 * list.get("host"); // "a"
 */
export class RawHeaderList implements HeaderList {
  readonly size: number;
  readonly #text: string;
  /** Where the section starts in `text`. */
  readonly #base: number;
  /** [nameStart, nameEnd, valueStart, valueEnd] per field line, relative to `base`. */
  readonly #offsets: readonly number[];

  /**
   * @param text a string holding the section (already validated) at `base`
   * @param offsets four offsets per field line, relative to `base`
   */
  constructor(text: string, base: number, offsets: readonly number[], count: number) {
    this.#text = text;
    this.#base = base;
    this.#offsets = offsets;
    this.size = count;
  }

  /** The value of `name` (case-insensitive); duplicates joined with ", ". */
  get(name: string): string | undefined {
    let out: string | undefined;
    for (let i = 0; i < this.size; i++) {
      if (!this.#nameIs(i, name)) continue;
      const value = this.valueAt(i);
      out = out === undefined ? value : `${out}, ${value}`;
    }
    return out;
  }

  /** Every value of `name`, in the order received. */
  getAll(name: string): string[] {
    const out: string[] = [];
    for (let i = 0; i < this.size; i++) {
      if (this.#nameIs(i, name)) out.push(this.valueAt(i));
    }
    return out;
  }

  /** Whether a field named `name` (case-insensitive) was received. */
  has(name: string): boolean {
    for (let i = 0; i < this.size; i++) {
      if (this.#nameIs(i, name)) return true;
    }
    return false;
  }

  /** The name of field line `index` as the client spelled it. */
  nameAt(index: number): string {
    const o = this.#offsets;
    const base = this.#base;
    return this.#text.slice(base + o[index * 4]!, base + o[index * 4 + 1]!);
  }

  /** The value of field line `index`, without surrounding whitespace. */
  valueAt(index: number): string {
    const o = this.#offsets;
    const base = this.#base;
    return this.#text.slice(base + o[index * 4 + 2]!, base + o[index * 4 + 3]!);
  }

  /** `[name, value]` pairs in the order received, names as the client spelled them. */
  [Symbol.iterator](): IterableIterator<[name: string, value: string]> {
    const pairs: [string, string][] = [];
    for (let i = 0; i < this.size; i++) pairs.push([this.nameAt(i), this.valueAt(i)]);
    return pairs[Symbol.iterator]();
  }

  /** Plain `[name, value]` pairs, handy for logging and tests. */
  toJSON(): [string, string][] {
    return [...this];
  }

  /** ASCII case-insensitive comparison of field `i`'s name with `name`, in place. */
  #nameIs(i: number, name: string): boolean {
    const o = this.#offsets;
    const start = this.#base + o[i * 4]!;
    if (o[i * 4 + 1]! - o[i * 4]! !== name.length) return false;
    const text = this.#text;
    for (let k = 0; k < name.length; k++) {
      const a = text.charCodeAt(start + k);
      const b = name.charCodeAt(k);
      // Letters differ from their other case by 0x20 only; equal after |0x20 and a letter means equal.
      if (a !== b && ((a | 0x20) !== (b | 0x20) || (a | 0x20) < 97 || (a | 0x20) > 122))
        return false;
    }
    return true;
  }
}

/**
 * The header list of an absolute-form request: the target's authority replaces Host (RFC 9112
 * §3.2.2: the server "MUST ignore the received Host header field … and instead use the host
 * information of the request-target"), so a handler reading Host cannot be told two hosts.
 */
export class AuthorityHeaderList implements HeaderList {
  readonly #inner: HeaderList;
  readonly #authority: string;

  constructor(inner: HeaderList, authority: string) {
    this.#inner = inner;
    this.#authority = authority;
  }

  get size(): number {
    return this.#pairs().length;
  }

  get(name: string): string | undefined {
    return isHost(name) ? this.#authority : this.#inner.get(name);
  }

  getAll(name: string): string[] {
    return isHost(name) ? [this.#authority] : this.#inner.getAll(name);
  }

  has(name: string): boolean {
    return isHost(name) || this.#inner.has(name);
  }

  [Symbol.iterator](): IterableIterator<[name: string, value: string]> {
    return this.#pairs()[Symbol.iterator]();
  }

  toJSON(): [string, string][] {
    return this.#pairs();
  }

  /** The received pairs with the first Host line's value replaced and any other Host dropped. */
  #pairs(): [string, string][] {
    const out: [string, string][] = [];
    let replaced = false;
    for (const [name, value] of this.#inner) {
      if (!isHost(name)) out.push([name, value]);
      else if (!replaced) {
        out.push([name, this.#authority]);
        replaced = true;
      }
    }
    if (!replaced) out.push(["Host", this.#authority]);
    return out;
  }
}

const isHost = (name: string) => name.length === 4 && name.toLowerCase() === "host";
