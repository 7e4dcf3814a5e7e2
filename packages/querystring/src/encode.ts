// The WHATWG application/x-www-form-urlencoded serializer (URL Standard §5.2): UTF-8 bytes,
// space as "+", and everything but ASCII alphanumerics and "*-._" as uppercase %XX.

const SPACE = 0x20; // " "

/** 1 for each ASCII code that is written as itself. */
const SAFE = new Uint8Array(128);
for (const c of "*-._0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz") {
  SAFE[c.charCodeAt(0)] = 1;
}

const ESCAPED: string[] = [];
for (let b = 0; b < 256; b++) ESCAPED.push(`%${b.toString(16).toUpperCase().padStart(2, "0")}`);

function escapeCodePoint(cp: number): string {
  if (cp < 0x80) return cp === SPACE ? "+" : ESCAPED[cp]!;
  if (cp < 0x800) return ESCAPED[0xc0 | (cp >> 6)]! + ESCAPED[0x80 | (cp & 0x3f)]!;
  if (cp < 0x10000) {
    return (
      ESCAPED[0xe0 | (cp >> 12)]! +
      ESCAPED[0x80 | ((cp >> 6) & 0x3f)]! +
      ESCAPED[0x80 | (cp & 0x3f)]!
    );
  }
  return (
    ESCAPED[0xf0 | (cp >> 18)]! +
    ESCAPED[0x80 | ((cp >> 12) & 0x3f)]! +
    ESCAPED[0x80 | ((cp >> 6) & 0x3f)]! +
    ESCAPED[0x80 | (cp & 0x3f)]!
  );
}

const REPLACEMENT = 0xfffd;

/** Percent-encodes one name or value; a lone surrogate becomes U+FFFD, as USVString does. */
export function encodeComponent(s: string): string {
  const len = s.length;
  let out = "";
  let last = 0;
  for (let i = 0; i < len; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80 && SAFE[c] === 1) continue;
    let cp = c;
    let width = 1;
    if (c >= 0xd800 && c <= 0xdfff) {
      const next = i + 1 < len ? s.charCodeAt(i + 1) : 0;
      if (c <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) {
        cp = 0x10000 + ((c - 0xd800) << 10) + (next - 0xdc00);
        width = 2;
      } else {
        cp = REPLACEMENT;
      }
    }
    out += s.slice(last, i) + escapeCodePoint(cp);
    i += width - 1;
    last = i + 1;
  }
  return last === 0 ? s : out + s.slice(last);
}

function field(name: unknown, value: unknown): string {
  if (typeof name !== "string" || typeof value !== "string") {
    throw new TypeError(
      `encode: names and values must be strings, got ${typeof name} and ${typeof value}`,
    );
  }
  return `${encodeComponent(name)}=${encodeComponent(value)}`;
}

/**
 * Serializes a record (name -> value or values) or an iterable of [name, value] pairs as
 * `application/x-www-form-urlencoded`, the same text `URLSearchParams#toString()` gives.
 *
 * A record is read in `Object.keys` order (integer-like names first, as JavaScript orders
 * them); pass pairs when the order matters.
 *
 * @throws {TypeError} for a string or non-object input, a pair that is not two strings, or a
 *   record value that is not a string or an array of strings.
 * @example
 * encode({ message: "hello world", tag: ["a", "b"] }); // => "message=hello+world&tag=a&tag=b"
 * encode([["q", "café & co"]]); // => "q=caf%C3%A9+%26+co"
 */
export function encode(
  input: Record<string, string | readonly string[]> | Iterable<readonly [string, string]>,
): string {
  if (typeof input !== "object" || input === null) {
    throw new TypeError(`encode: input must be a record or an iterable of pairs, got ${input}`);
  }
  const parts: string[] = [];
  if (Symbol.iterator in input && typeof input[Symbol.iterator] === "function") {
    for (const pair of input as Iterable<readonly [string, string]>) {
      if (pair === null || typeof pair !== "object" || pair.length !== 2) {
        throw new TypeError("encode: each pair must be a [name, value] array of two strings");
      }
      parts.push(field(pair[0], pair[1]));
    }
    return parts.join("&");
  }
  const record = input as Record<string, string | readonly string[]>;
  for (const name of Object.keys(record)) {
    const value = record[name];
    if (typeof value === "string") parts.push(field(name, value));
    else if (Array.isArray(value)) for (const v of value) parts.push(field(name, v));
    else throw new TypeError(`encode: value of ${JSON.stringify(name)} must be a string or array`);
  }
  return parts.join("&");
}
