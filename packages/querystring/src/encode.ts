// The WHATWG application/x-www-form-urlencoded serializer (URL Standard §5.2): UTF-8 bytes,
// space as "+", and everything but ASCII alphanumerics and "*-._" as uppercase %XX.

const SPACE = 0x20; // " "

/** 1 for each ASCII code that is written as itself. */
const SAFE = new Uint8Array(128);
for (const c of "*-._0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz") {
  SAFE[c.charCodeAt(0)] = 1;
}

const HEX_DIGITS = "0123456789ABCDEF";

// Escaped text is written as ASCII bytes into this scratch and read out with one latin1Slice;
// building it by string concatenation was several times slower on escape-heavy values.
const KEEP = 64 * 1024;
let scratch = Buffer.allocUnsafe(4096);

interface Latin1Buffer extends Buffer {
  latin1Slice(start: number, end: number): string;
}
const HAS_LATIN1_SLICE =
  typeof (Buffer.prototype as Partial<Latin1Buffer>).latin1Slice === "function";

const REPLACEMENT = 0xfffd;
const PERCENT = 0x25; // "%"
const PLUS = 0x2b; // "+"

function writeEscape(out: Buffer, n: number, byte: number): number {
  out[n] = PERCENT;
  out[n + 1] = HEX_DIGITS.charCodeAt(byte >> 4);
  out[n + 2] = HEX_DIGITS.charCodeAt(byte & 0x0f);
  return n + 3;
}

/** Percent-encodes one name or value; a lone surrogate becomes U+FFFD, as USVString does. */
export function encodeComponent(s: string): string {
  const len = s.length;
  let i = 0;
  while (i < len) {
    const c = s.charCodeAt(i);
    if (c >= 0x80 || SAFE[c] === 0) break;
    i++;
  }
  if (i === len) return s;
  // At most 9 bytes per UTF-16 unit: a 3-byte sequence as %XX%XX%XX.
  const size = i + 9 * (len - i);
  const out = size <= scratch.length ? scratch : Buffer.allocUnsafe(Math.max(size, KEEP));
  if (out.length <= KEEP) scratch = out;
  let n = 0;
  for (; n < i; n++) out[n] = s.charCodeAt(n);
  for (; i < len; i++) {
    let cp = s.charCodeAt(i);
    if (cp < 0x80) {
      if (SAFE[cp] === 1) out[n++] = cp;
      else if (cp === SPACE) out[n++] = PLUS;
      else n = writeEscape(out, n, cp);
      continue;
    }
    if (cp >= 0xd800 && cp <= 0xdfff) {
      const next = i + 1 < len ? s.charCodeAt(i + 1) : 0;
      if (cp <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) {
        cp = 0x10000 + ((cp - 0xd800) << 10) + (next - 0xdc00);
        i++;
      } else {
        cp = REPLACEMENT;
      }
    }
    if (cp < 0x800) {
      n = writeEscape(out, n, 0xc0 | (cp >> 6));
    } else if (cp < 0x10000) {
      n = writeEscape(out, n, 0xe0 | (cp >> 12));
      n = writeEscape(out, n, 0x80 | ((cp >> 6) & 0x3f));
    } else {
      n = writeEscape(out, n, 0xf0 | (cp >> 18));
      n = writeEscape(out, n, 0x80 | ((cp >> 12) & 0x3f));
      n = writeEscape(out, n, 0x80 | ((cp >> 6) & 0x3f));
    }
    n = writeEscape(out, n, 0x80 | (cp & 0x3f));
  }
  return HAS_LATIN1_SLICE ? (out as Latin1Buffer).latin1Slice(0, n) : out.toString("latin1", 0, n);
}

function checkString(what: string, value: unknown): string {
  if (typeof value !== "string") {
    throw new TypeError(`encode: ${what} must be a string, got ${typeof value}`);
  }
  return value;
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
  let out = "";
  let sep = "";
  if (Symbol.iterator in input && typeof input[Symbol.iterator] === "function") {
    for (const pair of input as Iterable<readonly [string, string]>) {
      if (pair === null || typeof pair !== "object" || pair.length !== 2) {
        throw new TypeError("encode: each pair must be a [name, value] array of two strings");
      }
      const name = encodeComponent(checkString("a name", pair[0]));
      out += `${sep}${name}=${encodeComponent(checkString("a value", pair[1]))}`;
      sep = "&";
    }
    return out;
  }
  const record = input as Record<string, string | readonly string[]>;
  for (const key of Object.keys(record)) {
    const value = record[key];
    const name = encodeComponent(key);
    if (typeof value === "string") {
      out += `${sep}${name}=${encodeComponent(value)}`;
      sep = "&";
    } else if (Array.isArray(value)) {
      for (const v of value) {
        out += `${sep}${name}=${encodeComponent(checkString("a value in a list", v))}`;
        sep = "&";
      }
    } else {
      throw new TypeError(`encode: value of ${JSON.stringify(key)} must be a string or array`);
    }
  }
  return out;
}
