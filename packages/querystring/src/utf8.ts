// Percent-decoding and UTF-8 decoding in one pass, by hand, writing UTF-16 code units that
// Buffer#ucs2Slice copies into a string. V8's own UTF-8 decoder (behind Buffer#utf8Slice and
// TextDecoder) costs about 2 ns per non-ASCII byte here, and decodeURIComponent throws on the
// first malformed escape; this is several times faster on escape-heavy form values.
//
// The UTF-8 state machine is the WHATWG Encoding Standard's decoder (§8.1.1): one U+FFFD per
// maximal invalid subpart; overlongs, surrogates and values above U+10FFFF rejected; a leading
// BOM kept ("UTF-8 decode without BOM"). CPython's errors="replace" gives the same output.
import { endianness } from "node:os";

type SliceFn = (this: Uint8Array, start: number, end: number) => string;
interface NativeSlices {
  latin1Slice?: SliceFn;
  ucs2Slice?: SliceFn;
}
const native = Buffer.prototype as unknown as NativeSlices;

// These slice methods are what Buffer#toString calls after its argument checks. They are not
// documented, so each has a public fallback in case a Node release drops it.
function publicSlice(encoding: BufferEncoding): SliceFn {
  return function (this: Uint8Array, start: number, end: number): string {
    return Buffer.from(this.buffer, this.byteOffset, this.byteLength).toString(
      encoding,
      start,
      end,
    );
  };
}
const latin1Slice = native.latin1Slice ?? publicSlice("latin1");
const nativeUcs2Slice = native.ucs2Slice ?? publicSlice("utf16le");

const PERCENT = 0x25; // "%"
const PLUS = 0x2b; // "+"
const SPACE = 0x20; // " "
const REPLACEMENT = 0xfffd;

/** Hex digit value per byte, -1 for anything else. */
const HEX = new Int8Array(256).fill(-1);
for (let i = 0; i < 10; i++) HEX[0x30 + i] = i;
for (let i = 0; i < 6; i++) {
  HEX[0x41 + i] = 10 + i;
  HEX[0x61 + i] = 10 + i;
}

// Values up to this many units decode in an array kept between calls; a rare 1 MB value gets
// its own, so the module never pins megabytes after one large body.
const KEEP_UNITS = 16 * 1024;
let units = new Uint16Array(1024);
let unitBytes = new Uint8Array(units.buffer);

function unitsFor(size: number): Uint16Array {
  if (size <= units.length) return units;
  if (size > KEEP_UNITS) return new Uint16Array(size);
  units = new Uint16Array(KEEP_UNITS);
  unitBytes = new Uint8Array(units.buffer);
  return units;
}

// ucs2Slice reads little-endian pairs of bytes; a Uint16Array stores in the machine's order.
const LITTLE_ENDIAN = endianness() === "LE";

function unitsToString(out: Uint16Array, n: number): string {
  if (LITTLE_ENDIAN) {
    const bytes = out === units ? unitBytes : new Uint8Array(out.buffer);
    return nativeUcs2Slice.call(bytes, 0, 2 * n);
  }
  let s = "";
  for (let i = 0; i < n; i += 4096)
    s += String.fromCharCode(...out.subarray(i, Math.min(n, i + 4096)));
  return s;
}

/** `bytes[start, end)` as a string when every byte is below 0x80 (the caller checked). */
export function asciiString(bytes: Uint8Array, start: number, end: number): string {
  return latin1Slice.call(bytes, start, end);
}

/**
 * Decodes `s[start, end)` exactly like CPython's `unquote(s.replace("+", " "),
 * errors="replace")`: in each run of ASCII characters "+" is a space and %XX escapes are
 * bytes, and the run's bytes are UTF-8 decoded on their own; non-ASCII characters are copied
 * through untouched (even a lone surrogate, as CPython does).
 */
export function decodeStringEscapes(s: string, start: number, end: number): string {
  const out = unitsFor(end - start);
  let n = 0;
  let needed = 0; // continuation bytes still expected
  let cp = 0;
  let lower = 0x80;
  let upper = 0xbf;
  let i = start;
  while (i < end) {
    let b = s.charCodeAt(i);
    let width = 1;
    if (b === PERCENT) {
      if (i + 2 < end) {
        const c1 = s.charCodeAt(i + 1);
        const c2 = s.charCodeAt(i + 2);
        const hi = c1 < 0x80 ? HEX[c1]! : -1;
        const lo = c2 < 0x80 ? HEX[c2]! : -1;
        if ((hi | lo) >= 0) {
          b = (hi << 4) | lo;
          width = 3;
        }
      }
    } else if (b === PLUS) b = SPACE;
    else if (b >= 0x80) {
      // A raw character ends the ASCII run, and with it any unfinished sequence.
      if (needed !== 0) {
        out[n++] = REPLACEMENT;
        needed = 0;
        lower = 0x80;
        upper = 0xbf;
      }
      out[n++] = b;
      i++;
      continue;
    }
    // From here on the same state machine as decodeBytes below.
    if (needed === 0) {
      i += width;
      if (b < 0x80) out[n++] = b;
      else if (b >= 0xc2 && b <= 0xdf) {
        needed = 1;
        cp = b & 0x1f;
      } else if (b >= 0xe0 && b <= 0xef) {
        if (b === 0xe0)
          lower = 0xa0; // overlong
        else if (b === 0xed) upper = 0x9f; // surrogates
        needed = 2;
        cp = b & 0x0f;
      } else if (b >= 0xf0 && b <= 0xf4) {
        if (b === 0xf0)
          lower = 0x90; // overlong
        else if (b === 0xf4) upper = 0x8f; // above U+10FFFF
        needed = 3;
        cp = b & 0x07;
      } else out[n++] = REPLACEMENT;
    } else if (b < lower || b > upper) {
      // The sequence so far is one maximal subpart; this byte is read again as a new start.
      out[n++] = REPLACEMENT;
      needed = 0;
      lower = 0x80;
      upper = 0xbf;
    } else {
      i += width;
      lower = 0x80;
      upper = 0xbf;
      cp = (cp << 6) | (b & 0x3f);
      if (--needed === 0) {
        if (cp < 0x10000) out[n++] = cp;
        else {
          out[n++] = 0xd7c0 + (cp >> 10); // 0xd800 + ((cp - 0x10000) >> 10)
          out[n++] = 0xdc00 | (cp & 0x3ff);
        }
      }
    }
  }
  if (needed !== 0) out[n++] = REPLACEMENT;
  return unitsToString(out, n);
}

/**
 * Decodes `bytes[start, end)` per the WHATWG urlencoded parser (URL Standard §5.1): "+" is
 * 0x20, a valid %XX escape is its byte, other bytes are themselves, and the whole byte
 * sequence is UTF-8 decoded, so raw and escaped bytes can form one character.
 */
export function decodeBytes(bytes: Uint8Array, start: number, end: number): string {
  const out = unitsFor(end - start);
  let n = 0;
  let needed = 0; // continuation bytes still expected
  let cp = 0;
  let lower = 0x80;
  let upper = 0xbf;
  let i = start;
  while (i < end) {
    let b = bytes[i]!;
    let width = 1;
    if (b === PERCENT) {
      if (i + 2 < end) {
        const hi = HEX[bytes[i + 1]!]!;
        const lo = HEX[bytes[i + 2]!]!;
        if ((hi | lo) >= 0) {
          b = (hi << 4) | lo;
          width = 3;
        }
      }
    } else if (b === PLUS) b = SPACE;
    // From here on the same state machine as decodeStringEscapes above.
    if (needed === 0) {
      i += width;
      if (b < 0x80) out[n++] = b;
      else if (b >= 0xc2 && b <= 0xdf) {
        needed = 1;
        cp = b & 0x1f;
      } else if (b >= 0xe0 && b <= 0xef) {
        if (b === 0xe0)
          lower = 0xa0; // overlong
        else if (b === 0xed) upper = 0x9f; // surrogates
        needed = 2;
        cp = b & 0x0f;
      } else if (b >= 0xf0 && b <= 0xf4) {
        if (b === 0xf0)
          lower = 0x90; // overlong
        else if (b === 0xf4) upper = 0x8f; // above U+10FFFF
        needed = 3;
        cp = b & 0x07;
      } else out[n++] = REPLACEMENT;
    } else if (b < lower || b > upper) {
      // The sequence so far is one maximal subpart; this byte is read again as a new start.
      out[n++] = REPLACEMENT;
      needed = 0;
      lower = 0x80;
      upper = 0xbf;
    } else {
      i += width;
      lower = 0x80;
      upper = 0xbf;
      cp = (cp << 6) | (b & 0x3f);
      if (--needed === 0) {
        if (cp < 0x10000) out[n++] = cp;
        else {
          out[n++] = 0xd7c0 + (cp >> 10); // 0xd800 + ((cp - 0x10000) >> 10)
          out[n++] = 0xdc00 | (cp & 0x3ff);
        }
      }
    }
  }
  if (needed !== 0) out[n++] = REPLACEMENT;
  return unitsToString(out, n);
}
