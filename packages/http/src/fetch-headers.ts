import type { HeaderList } from "./types.js";

const GlobalHeaders: typeof Headers = globalThis.Headers;

/** A field name (RFC 9110 §5.6.2 token): what `Headers` accepts. */
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

/**
 * The request's `Headers`, read straight from the parsed {@link HeaderList}: `get` and `has`
 * (all most apps call) look the fields up in place; anything else (iteration, changes) first
 * builds a real `Headers` from the fields and hands over to it. `instanceof Headers` holds.
 *
 * The parser has already refused what `Headers` would refuse (names that are not tokens, CR,
 * LF and NUL in values) and trimmed the optional whitespace around values, so a field reads
 * the same here as it would from a real `Headers`.
 */
export class RequestHeaders {
  readonly #list: HeaderList;
  #native: Headers | undefined;

  constructor(list: HeaderList) {
    this.#list = list;
  }

  /** The real `Headers`, built on first need; from then on it is the only copy. */
  get native(): Headers {
    if (this.#native === undefined) {
      const headers = new GlobalHeaders();
      for (const [name, value] of this.#list) headers.append(name, value);
      this.#native = headers;
    }
    return this.#native;
  }

  get(name: string): string | null {
    if (this.#native !== undefined) return this.#native.get(name);
    // Fetch joins repeated Cookie lines with "; " (how a browser sends one), others with ", ".
    if (name.length === 6 && name.toLowerCase() === "cookie") {
      const all = this.#list.getAll(name);
      return all.length === 0 ? null : all.join("; ");
    }
    const value = this.#list.get(name);
    if (value !== undefined) return value;
    if (!TOKEN.test(name)) throw new TypeError(`Headers.get: invalid header name ${name}`);
    return null;
  }

  has(name: string): boolean {
    if (this.#native !== undefined) return this.#native.has(name);
    if (this.#list.has(name)) return true;
    if (!TOKEN.test(name)) throw new TypeError(`Headers.has: invalid header name ${name}`);
    return false;
  }

  getSetCookie(): string[] {
    return this.native.getSetCookie();
  }

  set(name: string, value: string): void {
    this.native.set(name, value);
  }

  append(name: string, value: string): void {
    this.native.append(name, value);
  }

  delete(name: string): void {
    this.native.delete(name);
  }

  forEach(callback: (value: string, name: string, parent: Headers) => void, thisArg?: unknown) {
    this.native.forEach((value, name) => {
      callback.call(thisArg, value, name, this as never);
    });
  }

  keys(): ReturnType<Headers["keys"]> {
    return this.native.keys();
  }

  values(): ReturnType<Headers["values"]> {
    return this.native.values();
  }

  entries(): ReturnType<Headers["entries"]> {
    return this.native.entries();
  }

  [Symbol.iterator](): ReturnType<Headers["entries"]> {
    return this.native.entries();
  }
}

// `instanceof Headers` and `Object.prototype.toString` answer as for a real one; the methods
// above shadow the native ones, which would throw on an object without Headers' internal slots.
Object.setPrototypeOf(RequestHeaders.prototype, GlobalHeaders.prototype);
