/**
 * Byte constants and 256-entry lookup tables for the request parser. The parser works on octets
 * (RFC 9112 §2.2), so every character class is a table indexed by the byte value.
 */

export const HTAB = 9; // "\t"
export const LF = 10; // "\n"
export const CR = 13; // "\r"
export const SP = 32; // " "
export const DQUOTE = 34; // '"'
export const HASH = 35; // "#"
export const PERCENT = 37; // "%"
export const COMMA = 44; // ","
export const DOT = 46; // "."
export const SLASH = 47; // "/"
export const DIGIT_0 = 48; // "0"
export const DIGIT_1 = 49; // "1"
export const DIGIT_9 = 57; // "9"
export const COLON = 58; // ":"
export const SEMI = 59; // ";"
export const EQUALS = 61; // "="
export const ASTERISK = 42; // "*"
export const LBRACKET = 91; // "["
export const BACKSLASH = 92; // "\\"
export const RBRACKET = 93; // "]"

/** Largest body or chunk size the parser accepts: beyond it a JS number loses precision (RFC 9112 §7.1). */
export const MAX_SAFE_LENGTH = Number.MAX_SAFE_INTEGER;

function table(accept: (byte: number) => boolean): Uint8Array {
  const t = new Uint8Array(256);
  for (let b = 0; b < 256; b++) t[b] = accept(b) ? 1 : 0;
  return t;
}

const isAlpha = (b: number) => (b >= 65 && b <= 90) || (b >= 97 && b <= 122);
const isDigit = (b: number) => b >= DIGIT_0 && b <= DIGIT_9;

/** tchar (RFC 9110 §5.6.2): the bytes of a token (method, field name, coding, extension name). */
export const TCHAR: Uint8Array = table(
  (b) => isAlpha(b) || isDigit(b) || "!#$%&'*+-.^_`|~".includes(String.fromCharCode(b)),
);

/**
 * field-vchar, SP and HTAB (RFC 9110 §5.5): the bytes allowed in a field value. obs-text
 * (0x80-0xFF) is allowed and kept opaque; NUL, CR, LF, DEL and the other CTLs are not.
 */
export const FIELD_VALUE: Uint8Array = table((b) => b === HTAB || (b >= SP && b !== 127));

/**
 * Bytes allowed in a request-target: visible ASCII except "#" (a fragment is never sent,
 * RFC 9112 §3.2). Controls, SP and bytes >= 0x80 are refused rather than guessed at.
 */
export const TARGET: Uint8Array = table((b) => b > SP && b < 127 && b !== HASH);

/** qdtext and the escaped bytes of a quoted-string (RFC 9110 §5.6.4), for chunk extensions. */
export const QDTEXT: Uint8Array = table(
  (b) => b === HTAB || b === SP || b === 0x21 || (b >= 0x23 && b !== BACKSLASH && b !== 127),
);
export const QUOTED_PAIR: Uint8Array = table((b) => b === HTAB || (b >= SP && b !== 127));

/**
 * reg-name bytes of a Host (RFC 3986 §3.2.2: unreserved and sub-delims). "%" is left out: it
 * starts a pct-encoded triple, which the Host check reads on its own.
 */
export const REG_NAME: Uint8Array = table(
  (b) => isAlpha(b) || isDigit(b) || "-._~!$&'()*+,;=".includes(String.fromCharCode(b)),
);

/** Bytes inside an IP-literal's brackets (IPv6address / IPvFuture, RFC 3986 §3.2.2). */
export const IP_LITERAL: Uint8Array = table(
  (b) => isAlpha(b) || isDigit(b) || "-._~!$&'()*+,;=:".includes(String.fromCharCode(b)),
);

/** Hex digit value, or 255 for anything else (chunk-size, RFC 9112 §7.1). */
export const HEX: Uint8Array = (() => {
  const t = new Uint8Array(256).fill(255);
  for (let d = 0; d < 10; d++) t[DIGIT_0 + d] = d;
  for (let d = 0; d < 6; d++) {
    t[65 + d] = 10 + d;
    t[97 + d] = 10 + d;
  }
  return t;
})();

/** ASCII lower-casing; other bytes map to themselves. */
export const LOWER: Uint8Array = (() => {
  const t = new Uint8Array(256);
  for (let b = 0; b < 256; b++) t[b] = b >= 65 && b <= 90 ? b + 32 : b;
  return t;
})();

/** Encodes an ASCII string as bytes (for the lower-case names the parser compares against). */
export function ascii(s: string): Uint8Array {
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
  return out;
}

/** Whether `buf[start, start + lower.length)` equals `lower` ignoring ASCII case. */
export function equalsLower(buf: Uint8Array, start: number, lower: Uint8Array): boolean {
  for (let i = 0; i < lower.length; i++) {
    if (LOWER[buf[start + i]!] !== lower[i]) return false;
  }
  return true;
}

/** Decodes `buf[start, end)` one byte per UTF-16 unit (latin1); the bytes are already validated. */
export function latin1(buf: Uint8Array, start: number, end: number): string {
  return Buffer.prototype.latin1Slice.call(buf, start, end);
}

/** Whether both bytes of a 16-bit value are tchar: four token bytes take two lookups. */
const TCHAR_PAIR: Uint8Array = (() => {
  const t = new Uint8Array(65536);
  for (let a = 0; a < 256; a++) {
    if (TCHAR[a] === 0) continue;
    for (let b = 0; b < 256; b++) t[a | (b << 8)] = TCHAR[b]!;
  }
  return t;
})();

// The three scanners below (skipToken, skipTarget, skipFieldValue) repeat one shape on
// purpose: a shared scanner taking its word test as a function would be called with three
// tests, and V8 stops inlining a call that sees more than one target in its hottest loop.
//
// The last chunk scanned, its byte offset and its buffer's whole-word view: the lines of one
// chunk share them, and a socket read and the chunks cut from it share one buffer, so the view
// is usually built once per read (typed array getters cost more than one comparison).
let lastChunk: Uint8Array | undefined;
let lastOffset = 0;
let wordsOf: ArrayBufferLike | undefined;
const NO_WORDS = new Int32Array(0);
let words: Int32Array<ArrayBufferLike> = NO_WORDS;

function useWordsOf(buf: Uint8Array): void {
  const buffer = buf.buffer;
  if (buffer !== wordsOf) {
    const size = buffer.byteLength;
    // Word indexes are 32-bit integers: a buffer of 2 GiB or more (or a detached one, 0 bytes)
    // is scanned a byte at a time.
    words = size > 0 && size < 2 ** 31 ? new Int32Array(buffer, 0, size >> 2) : NO_WORDS;
    wordsOf = buffer;
  }
  lastOffset = buf.byteOffset;
  lastChunk = buf;
}

/**
 * Index of the first byte at or after `k` in `buf[k, end)` that is not a tchar (see
 * {@link TCHAR}), or `end`: the end of a field name or method. Checks four bytes per step
 * where it can, two at a time through {@link TCHAR_PAIR}.
 */
export function skipToken(buf: Uint8Array, k: number, end: number): number {
  if (buf !== lastChunk) useWordsOf(buf);
  const offset = lastOffset;
  while (k < end && ((offset + k) & 3) !== 0) {
    if (TCHAR[buf[k]!] !== 1) return k;
    k++;
  }
  if (end - k >= 4 && words.length > 0) {
    let w = (offset + k) >> 2;
    const last = Math.min((offset + end) >> 2, words.length);
    while (w < last) {
      const x = words[w]!;
      if (TCHAR_PAIR[x & 0xffff] === 0 || TCHAR_PAIR[x >>> 16] === 0) break;
      w++;
    }
    k = (w << 2) - offset;
  }
  while (k < end && TCHAR[buf[k]!] === 1) k++;
  return k;
}

/**
 * Index of the first byte at or after `k` in `buf[k, end)` that is not a request-target byte
 * (see {@link TARGET}), or `end`. Four bytes per step where it can: a word is all target bytes
 * unless it has a byte below 0x21, one with the high bit set, a DEL or a "#" (the same
 * "haszero/hasless" tricks as {@link skipFieldValue}); a flagged word is walked byte by byte.
 */
export function skipTarget(buf: Uint8Array, k: number, end: number): number {
  if (buf !== lastChunk) useWordsOf(buf);
  const offset = lastOffset;
  while (k < end && ((offset + k) & 3) !== 0) {
    if (TARGET[buf[k]!] !== 1) return k;
    k++;
  }
  if (end - k >= 8 && words.length > 0) {
    let w = (offset + k) >> 2;
    const last = Math.min((offset + end) >> 2, words.length);
    while (w < last) {
      const x = words[w]!;
      const del = x ^ 0x7f7f7f7f;
      const hash = x ^ 0x23232323;
      const flags =
        (((x - 0x21212121) | 0) & ~x) |
        x |
        (((del - 0x01010101) | 0) & ~del) |
        (((hash - 0x01010101) | 0) & ~hash);
      if (flags & 0x80808080) break;
      w++;
    }
    k = (w << 2) - offset;
  }
  while (k < end && TARGET[buf[k]!] === 1) k++;
  return k;
}

/**
 * Index of the first byte at or after `k` in `buf[k, end)` that is not a field value byte
 * (see {@link FIELD_VALUE}), or `end`. Checks four bytes per step where it can: a word holds
 * a byte below 0x20 exactly when `(x - 0x20202020) & ~x & 0x80808080` is non-zero, and a DEL
 * when the same test for zero holds for `x ^ 0x7f7f7f7f` (the "haszero/hasless" bit tricks).
 * A flagged word is then walked byte by byte, so HTAB (valid, but below 0x20) costs only speed.
 */
export function skipFieldValue(buf: Uint8Array, k: number, end: number): number {
  if (buf !== lastChunk) useWordsOf(buf);
  const offset = lastOffset;
  while (k < end && ((offset + k) & 3) !== 0) {
    if (FIELD_VALUE[buf[k]!] !== 1) return k;
    k++;
  }
  if (end - k >= 8 && words.length > 0) {
    let w = (offset + k) >> 2;
    const last = Math.min((offset + end) >> 2, words.length);
    while (w < last) {
      const x = words[w]!;
      const y = x ^ 0x7f7f7f7f;
      if (((((x - 0x20202020) | 0) & ~x) | (((y - 0x01010101) | 0) & ~y)) & 0x80808080) break;
      w++;
    }
    k = (w << 2) - offset;
  }
  while (k < end && FIELD_VALUE[buf[k]!] === 1) k++;
  return k;
}
