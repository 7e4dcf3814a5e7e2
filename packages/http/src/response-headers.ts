import type { HeaderValue } from "./types.js";

/**
 * The header fields of one response, in the order first set, keyed by lower-cased name. A
 * response has a handful of fields, so one flat array searched from the start is cheaper to
 * build and to walk than a Map of entries (a response is made per request).
 */
export class ResponseHeaders {
  /** [key, name as set, value] per field. */
  #fields: Array<string | HeaderValue> = [];

  /** Sets `key` (lower-cased name) to `value`, spelled `name` on the wire; keeps its place if set before. */
  set(key: string, name: string, value: HeaderValue): void {
    const fields = this.#fields;
    const i = this.#indexOf(key);
    if (i === -1) {
      fields.push(key, name, value);
    } else {
      fields[i + 1] = name;
      fields[i + 2] = value;
    }
  }

  get(key: string): HeaderValue | undefined {
    const i = this.#indexOf(key);
    return i === -1 ? undefined : (this.#fields[i + 2] as HeaderValue);
  }

  has(key: string): boolean {
    return this.#indexOf(key) !== -1;
  }

  delete(key: string): void {
    const i = this.#indexOf(key);
    if (i !== -1) this.#fields.splice(i, 3);
  }

  clear(): void {
    this.#fields = [];
  }

  /**
   * Pushes the pieces of the `name: value` lines (one line per element of an array value) onto
   * `parts`, for one `join`: a head built with `+=` would leave a chain of partial strings.
   */
  pushLines(parts: string[]): void {
    const fields = this.#fields;
    for (let i = 0; i < fields.length; i += 3) {
      const name = fields[i + 1] as string;
      const value = fields[i + 2] as HeaderValue;
      if (Array.isArray(value)) {
        for (const v of value) parts.push(name, ": ", v, "\r\n");
      } else {
        parts.push(name, ": ", typeof value === "string" ? value : String(value), "\r\n");
      }
    }
  }

  #indexOf(key: string): number {
    const fields = this.#fields;
    for (let i = 0; i < fields.length; i += 3) if (fields[i] === key) return i;
    return -1;
  }
}
