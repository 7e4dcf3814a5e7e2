// One pass over a query string that splits fields and decodes them at the same time.
//
// Decoding is by hand: "+" is a space, a %XX escape is a byte, and bytes go through the UTF-8
// decoder of the WHATWG Encoding Standard (§8.1.1: one U+FFFD per maximal invalid subpart;
// overlongs, surrogates and values above U+10FFFF rejected; a BOM kept), which is also what
// CPython's errors="replace" produces. Decoded code units of every field go into one scratch
// array that becomes a single string at the end, and each name and value is a slice of it:
// one native call per body instead of one per value. V8's own UTF-8 decoder (utf8Slice,
// TextDecoder) costs about 2 ns per non-ASCII byte, and decodeURIComponent throws on the
// first malformed escape.
import {
  add,
  assemble,
  badField,
  EQUALS,
  FROM_INPUT,
  FROM_UNITS,
  nameAt,
  type PairSink,
  PERCENT,
  PLAIN,
  PLUS,
  plusesToSpaces,
  type RecordSink,
  SPACE,
} from "./fields.js";
import {
  fieldTable,
  growTable,
  HEX,
  REPLACEMENT,
  unitsFor,
  unitsRange,
  unitsToString,
} from "./units.js";

// Up to this length a string input gets its decoded parts one native call each, which beats
// the bookkeeping of the table on a body like "message=hello+world&save=".
const IMMEDIATE_MAX = 128;

/**
 * scanString for a string without "%": nothing to percent-decode, so each part is a slice of
 * the input with "+" turned into spaces (CPython's unquote returns such text unchanged).
 */
export function scanPlain(
  s: string,
  keepBlank: boolean,
  strict: boolean,
  separator: string,
  record: RecordSink,
  pairs: PairSink,
): void {
  const len = s.length;
  const sepLen = separator.length;
  const sepCode = sepLen === 1 ? separator.charCodeAt(0) : -1;
  let start = 0;
  while (start <= len) {
    let end = len;
    if (sepCode === -1) {
      end = s.indexOf(separator, start);
      if (end === -1) end = len;
    }
    let eq = -1;
    let namePluses = 0;
    let pluses = 0;
    let i = start;
    for (; i < end; i++) {
      const c = s.charCodeAt(i);
      if (c === sepCode) break;
      if (c === PLUS) pluses++;
      else if (c === EQUALS && eq === -1) {
        eq = i;
        namePluses = pluses;
        pluses = 0;
      }
    }
    if (i === start) {
      if (strict) throw badField("");
    } else if (eq === -1) {
      if (strict) throw badField(s.slice(start, i));
      if (keepBlank) add(record, pairs, plainPart(s, start, i, pluses, true), "");
    } else if (eq + 1 < i || keepBlank) {
      const name = plainPart(s, start, eq, namePluses, true);
      add(record, pairs, name, plainPart(s, eq + 1, i, pluses, false));
    }
    start = i + sepLen;
  }
}

function plainPart(s: string, start: number, end: number, pluses: number, isName: boolean) {
  if (pluses === 0) return isName ? nameAt(s, start, end) : s.slice(start, end);
  if (pluses <= 2) return plusesToSpaces(s, start, end, pluses);
  return s.slice(start, end).replaceAll("+", " ");
}

/**
 * Splits and decodes a string with CPython's parse_qsl rules (the caller has checked the field
 * limit). Escapes decode within each run of ASCII characters, and a raw non-ASCII character is
 * copied through and ends the run, as CPython's unquote does; a lone surrogate stays as it is.
 */
export function scanString(
  s: string,
  keepBlank: boolean,
  strict: boolean,
  separator: string,
  record: RecordSink,
  pairs: PairSink,
): void {
  const len = s.length;
  const sepLen = separator.length;
  // A one-unit separator is found by the scan itself; a longer one by indexOf, and the scan
  // then runs to that index (-1 never equals a character code).
  const sepCode = sepLen === 1 ? separator.charCodeAt(0) : -1;
  const out = unitsFor(len);
  // Short inputs make each string as soon as its field ends; longer ones collect decoded units
  // for one native call at the end (see the top of this file).
  const immediate = len <= IMMEDIATE_MAX;
  let t = fieldTable();
  let k = 0;
  let n = 0;
  let start = 0;
  while (start <= len) {
    let end = len;
    if (sepCode === -1) {
      end = s.indexOf(separator, start);
      if (end === -1) end = len;
    }
    const fieldUnits = n;
    let eq = -1;
    let nameEscaped = false;
    let nameEnd = n;
    let escaped = false;
    let percent = false;
    let pluses = 0;
    let namePercent = false;
    let namePluses = 0;
    let needed = 0; // UTF-8 continuation bytes still expected
    let cp = 0;
    let lower = 0x80;
    let upper = 0xbf;
    let i = start;
    while (i < end) {
      let b = s.charCodeAt(i);
      if (needed === 0 && b < 0x80 && PLAIN[b] === 1 && b !== sepCode) {
        // Most characters are plain ASCII: copy the whole run in a tight loop.
        out[n++] = b;
        while (++i < end) {
          b = s.charCodeAt(i);
          if (b >= 0x80 || PLAIN[b] === 0 || b === sepCode) break;
          out[n++] = b;
        }
        continue;
      }
      if (b === sepCode) break;
      let width = 1;
      if (b === PERCENT) {
        escaped = true;
        percent = true;
        if (i + 2 < end) {
          const c1 = s.charCodeAt(i + 1);
          const c2 = s.charCodeAt(i + 2);
          const hi = c1 < 0x80 && c1 !== sepCode ? HEX[c1]! : -1;
          const lo = c2 < 0x80 && c2 !== sepCode ? HEX[c2]! : -1;
          if ((hi | lo) >= 0) {
            b = (hi << 4) | lo;
            width = 3;
          }
        }
      } else if (b === PLUS) {
        escaped = true;
        pluses++;
        b = SPACE;
      } else if (b === EQUALS && eq === -1) {
        if (needed !== 0) {
          out[n++] = REPLACEMENT;
          needed = 0;
          lower = 0x80;
          upper = 0xbf;
        }
        eq = i;
        nameEscaped = escaped;
        namePercent = percent;
        namePluses = pluses;
        nameEnd = n;
        escaped = false;
        percent = false;
        pluses = 0;
        i++;
        continue;
      } else if (b >= 0x80) {
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
      // The UTF-8 decoder; scanBytes has the same lines (see there).
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

    // Which parts of the field are kept, and where each comes from.
    let keep = false;
    let nameFrom = FROM_INPUT;
    let nameA = start;
    let nameB = eq;
    let valueFrom = FROM_INPUT;
    let valueA = eq + 1;
    let valueB = i;
    if (i === start) {
      if (strict) throw badField("");
    } else if (eq === -1) {
      if (strict) throw badField(s.slice(start, i));
      keep = keepBlank;
      nameB = i;
      valueA = i;
      if (escaped) {
        nameFrom = FROM_UNITS;
        nameA = fieldUnits;
        nameB = n;
      }
    } else if (eq + 1 < i || keepBlank) {
      keep = true;
      if (nameEscaped) {
        nameFrom = FROM_UNITS;
        nameA = fieldUnits;
        nameB = nameEnd;
      }
      if (escaped) {
        valueFrom = FROM_UNITS;
        valueA = nameEnd;
        valueB = n;
      }
    }
    if (!keep) n = fieldUnits;
    else if (immediate) {
      // A part whose only escapes are one or two "+" is cheaper as slices around them.
      let name: string;
      if (nameFrom === FROM_INPUT) name = nameAt(s, nameA, nameB);
      else if (eq === -1 && !percent && pluses <= 2) name = plusesToSpaces(s, start, i, pluses);
      else if (eq !== -1 && !namePercent && namePluses <= 2) {
        name = plusesToSpaces(s, start, eq, namePluses);
      } else name = unitsRange(out, nameA, nameB);
      let value: string;
      if (valueFrom === FROM_INPUT) value = s.slice(valueA, valueB);
      else if (!percent && pluses <= 2) value = plusesToSpaces(s, eq + 1, i, pluses);
      else value = unitsRange(out, valueA, valueB);
      add(record, pairs, name, value);
      n = 0;
    } else {
      if (k + 6 > t.length) t = growTable(t);
      t[k] = nameFrom;
      t[k + 1] = nameA;
      t[k + 2] = nameB;
      t[k + 3] = valueFrom;
      t[k + 4] = valueA;
      t[k + 5] = valueB;
      k += 6;
      // Units of parts taken from the input are not needed; drop them when they are last.
      if (valueFrom === FROM_INPUT) n = nameFrom === FROM_UNITS ? nameB : fieldUnits;
    }
    start = i + sepLen;
  }
  if (!immediate) assemble(t, k, s, unitsToString(out, n), record, pairs);
}
