// What the scanners share: byte constants, the field table layout, the cache of field names,
// and the step that turns a scan's field table into strings in a record or a pair list.
import { QueryStringError } from "./errors.js";

export const EQUALS = 0x3d; // "="
export const PERCENT = 0x25; // "%"
export const PLUS = 0x2b; // "+"
export const SPACE = 0x20; // " "

/** 1 for each ASCII byte that decodes as itself and means nothing to the splitter. */
export const PLAIN = new Uint8Array(256);
for (let c = 0; c < 0x80; c++) PLAIN[c] = c === PERCENT || c === PLUS || c === EQUALS ? 0 : 1;

// The field table has 6 slots per kept field: where the name comes from, its start and end,
// then the same for the value. A part without "%" or "+" is a slice of the input string
// (CPython returns it unchanged); any other part is a slice of the decoded units.
export const FROM_INPUT = 0;
export const FROM_UNITS = 1;

/** Where fields go: grouped into a record (parse_qs) or appended as pairs (parse_qsl). */
export type RecordSink = Record<string, string[]> | null;
export type PairSink = [string, string][] | null;

/** The error for an empty field or one without "=" under strictParsing. */
export function badField(text: string): QueryStringError {
  const shown = text.length > 64 ? `${text.slice(0, 64)}…` : text;
  return new QueryStringError("WW_QS_BAD_FIELD", `bad query field: ${JSON.stringify(shown)}`);
}

// Forms send the same field names on every request. Turning a fresh name into a property key
// makes V8 hash it and look it up in its string table; reusing the string that was a key last
// time skips that (measured 10-20% of a short body). Only names up to 12 characters are kept:
// the cache stays a few kilobytes, and V8 copies slices that short rather than pointing into
// the input, so it never keeps a large body alive.
const NAME_CACHE_SIZE = 256;
const NAME_CACHE_MAX_LENGTH = 12;
const nameCache: string[] = new Array<string>(NAME_CACHE_SIZE).fill("");

export function nameAt(source: string, start: number, end: number): string {
  const length = end - start;
  if (length === 0 || length > NAME_CACHE_MAX_LENGTH) return source.slice(start, end);
  const slot =
    (length * 31 + source.charCodeAt(start) * 7 + source.charCodeAt(end - 1)) &
    (NAME_CACHE_SIZE - 1);
  const cached = nameCache[slot]!;
  if (cached.length === length && source.startsWith(cached, start)) return cached;
  const name = source.slice(start, end);
  nameCache[slot] = name;
  return name;
}

export function assemble(
  t: Int32Array,
  slots: number,
  input: string,
  decoded: string,
  record: RecordSink,
  pairs: PairSink,
): void {
  for (let k = 0; k < slots; k += 6) {
    const name = nameAt(t[k] === FROM_INPUT ? input : decoded, t[k + 1]!, t[k + 2]!);
    const value =
      t[k + 3] === FROM_INPUT ? input.slice(t[k + 4], t[k + 5]) : decoded.slice(t[k + 4], t[k + 5]);
    add(record, pairs, name, value);
  }
}

export function add(record: RecordSink, pairs: PairSink, name: string, value: string): void {
  if (record === null) {
    pairs!.push([name, value]);
    return;
  }
  const list = record[name];
  if (list === undefined) record[name] = [value];
  else list.push(value);
}

/** `s[start, end)`, which holds `count` "+" signs, with each one a space; for small counts. */
export function plusesToSpaces(s: string, start: number, end: number, count: number): string {
  let out = "";
  for (let k = 0; k < count; k++) {
    const at = s.indexOf("+", start);
    out += `${s.slice(start, at)} `;
    start = at + 1;
  }
  return out + s.slice(start, end);
}
