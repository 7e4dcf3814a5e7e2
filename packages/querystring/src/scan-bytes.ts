// One pass over a body as bytes that splits fields and decodes them at the same time; the
// byte twin of scanString in scan-text.ts (see there for how decoding works).
import {
  assemble,
  badField,
  EQUALS,
  FROM_UNITS,
  type PairSink,
  PERCENT,
  PLAIN,
  PLUS,
  type RecordSink,
  SPACE,
} from "./fields.js";
import { fieldTable, growTable, HEX, REPLACEMENT, unitsFor, unitsToString } from "./units.js";

/** Index of `sep` in `b` at or after `from`, or -1; separators are short, so a naive search. */
export function indexOfBytes(b: Uint8Array, sep: Uint8Array, from: number): number {
  const first = sep[0]!;
  const last = b.length - sep.length;
  for (let i = b.indexOf(first, from); i !== -1 && i <= last; i = b.indexOf(first, i + 1)) {
    let j = 1;
    while (j < sep.length && b[i + j] === sep[j]) j++;
    if (j === sep.length) return i;
  }
  return -1;
}

/**
 * Splits and decodes a body as bytes, the way the WHATWG urlencoded parser does (URL Standard
 * §5.1): raw and escaped bytes of a name or value form one byte sequence that is UTF-8 decoded.
 * `sep` is the separator's UTF-8 bytes, or null when it is the single ASCII byte `sepCode`.
 *
 * This repeats scanString's loop over bytes instead of characters on purpose: one function fed
 * both strings and Uint8Arrays would be polymorphic in V8, and reading the body through a latin1
 * string copy instead was measured 10-25% slower (see the README).
 */
export function scanBytes(
  bytes: Uint8Array,
  keepBlank: boolean,
  strict: boolean,
  sepCode: number,
  sep: Uint8Array | null,
  record: RecordSink,
  pairs: PairSink,
): void {
  const len = bytes.length;
  const sepLen = sep === null ? 1 : sep.length;
  if (sep !== null) sepCode = -1;
  const out = unitsFor(len);
  let t = fieldTable();
  let k = 0;
  let n = 0;
  let start = 0;
  while (start <= len) {
    let end = len;
    if (sep !== null) {
      end = indexOfBytes(bytes, sep, start);
      if (end === -1) end = len;
    }
    const fieldUnits = n;
    let eq = -1;
    let nameEnd = n;
    let needed = 0; // UTF-8 continuation bytes still expected
    let cp = 0;
    let lower = 0x80;
    let upper = 0xbf;
    let i = start;
    while (i < end) {
      let b = bytes[i]!;
      if (needed === 0 && PLAIN[b] === 1 && b !== sepCode) {
        // Most bytes are plain ASCII: copy the whole run in a tight loop.
        out[n++] = b;
        while (++i < end) {
          b = bytes[i]!;
          if (PLAIN[b] === 0 || b === sepCode) break;
          out[n++] = b;
        }
        continue;
      }
      if (b === sepCode) break;
      let width = 1;
      if (b === PERCENT) {
        if (i + 2 < end) {
          const c1 = bytes[i + 1]!;
          const c2 = bytes[i + 2]!;
          const hi = c1 !== sepCode ? HEX[c1]! : -1;
          const lo = c2 !== sepCode ? HEX[c2]! : -1;
          if ((hi | lo) >= 0) {
            b = (hi << 4) | lo;
            width = 3;
          }
        }
      } else if (b === PLUS) b = SPACE;
      else if (b === EQUALS && eq === -1) {
        if (needed !== 0) {
          out[n++] = REPLACEMENT;
          needed = 0;
          lower = 0x80;
          upper = 0xbf;
        }
        eq = i;
        nameEnd = n;
        i++;
        continue;
      }
      // The UTF-8 decoder, the same lines as in scanString.
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

    if (i === start) {
      if (strict) throw badField("");
    } else if (eq === -1) {
      if (strict) throw badField(unitsToString(out, n).slice(fieldUnits));
      if (keepBlank) {
        if (k + 6 > t.length) t = growTable(t);
        t[k] = FROM_UNITS;
        t[k + 1] = fieldUnits;
        t[k + 2] = n;
        t[k + 3] = FROM_UNITS;
        t[k + 4] = n;
        t[k + 5] = n;
        k += 6;
      } else n = fieldUnits;
    } else if (eq + 1 < i || keepBlank) {
      if (k + 6 > t.length) t = growTable(t);
      t[k] = FROM_UNITS;
      t[k + 1] = fieldUnits;
      t[k + 2] = nameEnd;
      t[k + 3] = FROM_UNITS;
      t[k + 4] = nameEnd;
      t[k + 5] = n;
      k += 6;
    } else n = fieldUnits;
    start = i + sepLen;
  }
  assemble(t, k, "", unitsToString(out, n), record, pairs);
}
