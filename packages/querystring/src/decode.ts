// Percent-decoding for application/x-www-form-urlencoded names and values, by hand: bytes go
// into one reused scratch buffer and V8's native UTF-8 decoder turns them into a string, which
// replaces invalid sequences with U+FFFD per maximal subpart (WHATWG Encoding §4.1, and what
// CPython's errors="replace" does too). decodeURIComponent would throw on the first bad escape.

const PERCENT = 0x25; // "%"
const PLUS = 0x2b; // "+"
const SPACE = 0x20; // " "

/** Hex digit value per ASCII code, -1 for anything else. */
const HEX = new Int8Array(256).fill(-1);
for (let i = 0; i < 10; i++) HEX[0x30 + i] = i;
for (let i = 0; i < 6; i++) {
  HEX[0x41 + i] = 10 + i;
  HEX[0x61 + i] = 10 + i;
}

type SliceFn = (this: Uint8Array, start: number, end: number) => string;
// Buffer#utf8Slice is what Buffer#toString("utf8") calls after its argument checks; calling it
// directly saves that work on every field. Fall back to the public method if it ever disappears.
const proto = Buffer.prototype as unknown as { utf8Slice?: SliceFn };
const nativeUtf8Slice = proto.utf8Slice;
const utf8Slice: SliceFn =
  typeof nativeUtf8Slice === "function"
    ? nativeUtf8Slice
    : function (this: Uint8Array, start: number, end: number): string {
        return Buffer.from(this.buffer, this.byteOffset, this.byteLength).toString(
          "utf8",
          start,
          end,
        );
      };

/** Decodes `bytes[start, end)` as UTF-8 (U+FFFD for invalid sequences, a BOM kept). */
export function utf8(bytes: Uint8Array, start: number, end: number): string {
  return utf8Slice.call(bytes, start, end);
}

// Fields up to this size decode in a buffer kept between calls; a rare 1 MB value gets its own
// buffer so the module never pins a megabyte of memory after one large body.
const SCRATCH_KEEP = 16 * 1024;
let scratch = Buffer.allocUnsafe(1024);

function scratchFor(size: number): Buffer {
  if (size <= scratch.length) return scratch;
  if (size > SCRATCH_KEEP) return Buffer.allocUnsafe(size);
  scratch = Buffer.allocUnsafe(SCRATCH_KEEP);
  return scratch;
}

/**
 * Decodes `s[start, end)` that contains "%" (and maybe "+"), exactly like CPython's
 * `unquote(s.replace("+", " "), errors="replace")`: each run of ASCII characters is
 * percent-decoded to bytes and UTF-8 decoded on its own, and non-ASCII characters are copied
 * through untouched (even a lone surrogate, which CPython keeps too).
 */
export function decodeStringEscapes(s: string, start: number, end: number): string {
  const buf = scratchFor(end - start);
  let out = "";
  let n = 0;
  let i = start;
  while (i < end) {
    const c = s.charCodeAt(i);
    if (c === PERCENT) {
      if (i + 2 < end) {
        const c1 = s.charCodeAt(i + 1);
        const c2 = s.charCodeAt(i + 2);
        if ((c1 | c2) < 0x80) {
          const hi = HEX[c1]!;
          const lo = HEX[c2]!;
          if ((hi | lo) >= 0) {
            buf[n++] = (hi << 4) | lo;
            i += 3;
            continue;
          }
        }
      }
      buf[n++] = PERCENT;
      i++;
    } else if (c === PLUS) {
      buf[n++] = SPACE;
      i++;
    } else if (c < 0x80) {
      buf[n++] = c;
      i++;
    } else {
      // A raw non-ASCII character ends the current ASCII run (CPython splits on /[\x00-\x7f]+/).
      if (n > 0) {
        out += utf8Slice.call(buf, 0, n);
        n = 0;
      }
      let j = i + 1;
      while (j < end && s.charCodeAt(j) >= 0x80) j++;
      out += s.slice(i, j);
      i = j;
    }
  }
  if (n > 0) out += utf8Slice.call(buf, 0, n);
  return out;
}

/**
 * Decodes `bytes[start, end)` that contains "%" (and maybe "+") per the WHATWG urlencoded
 * parser: "+" becomes 0x20, valid %XX escapes become their byte, everything else is copied, and
 * the resulting byte sequence is UTF-8 decoded as a whole.
 */
export function decodeByteEscapes(bytes: Uint8Array, start: number, end: number): string {
  const buf = scratchFor(end - start);
  let n = 0;
  let i = start;
  while (i < end) {
    const c = bytes[i]!;
    if (c === PERCENT && i + 2 < end) {
      const hi = HEX[bytes[i + 1]!]!;
      const lo = HEX[bytes[i + 2]!]!;
      if ((hi | lo) >= 0) {
        buf[n++] = (hi << 4) | lo;
        i += 3;
        continue;
      }
    }
    buf[n++] = c === PLUS ? SPACE : c;
    i++;
  }
  return utf8Slice.call(buf, 0, n);
}

/** Replaces every "+" with a space; the caller knows there is at least one. */
export function plusToSpace(s: string): string {
  return s.replaceAll("+", " ");
}
