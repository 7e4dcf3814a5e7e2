import { decodeByteEscapes, decodeStringEscapes, plusToSpace, utf8 } from "./decode.js";
import { QueryStringError } from "./errors.js";

/** Options of {@link parseQs} and {@link parseQsl}, named after CPython's keyword arguments. */
export interface ParseQsOptions {
  /** Keep fields whose raw value is empty (`a=` and a bare `a`) as `""`. Default `false`. */
  keepBlankValues?: boolean;
  /** Throw `ERR_BAD_FIELD` for a field without "=" or an empty field. Default `false`. */
  strictParsing?: boolean;
  /** Most fields allowed, counted as `1 + number of separators`; `Infinity` for no limit. Default 1000. */
  maxFields?: number;
  /** Field separator, any non-empty string. Default `"&"`. */
  separator?: string;
}

/** Defaults of {@link ParseQsOptions}; `maxFields` mirrors node:querystring's `maxKeys`. */
export const DEFAULT_MAX_FIELDS = 1000;

const EQUALS = 0x3d; // "="
const PERCENT = 0x25; // "%"
const PLUS = 0x2b; // "+"
const HAS_PLUS = 1;
const HAS_PERCENT = 2;

interface Resolved {
  keepBlank: boolean;
  strict: boolean;
  maxFields: number;
  separator: string;
}

const DEFAULTS: Resolved = {
  keepBlank: false,
  strict: false,
  maxFields: DEFAULT_MAX_FIELDS,
  separator: "&",
};

/** Where parsed fields go: grouped into a record (parse_qs) or appended as pairs (parse_qsl). */
interface Sink {
  record: Record<string, string[]> | null;
  pairs: [string, string][] | null;
}

function resolve(options: ParseQsOptions | undefined): Resolved {
  if (options === undefined) return DEFAULTS;
  if (typeof options !== "object" || options === null) {
    throw new TypeError(`options must be an object, got ${typeof options}`);
  }
  const { keepBlankValues = false, strictParsing = false } = options;
  const { maxFields = DEFAULT_MAX_FIELDS, separator = "&" } = options;
  if (typeof separator !== "string" || separator.length === 0) {
    throw new TypeError(`options.separator must be a non-empty string, got ${String(separator)}`);
  }
  if (
    !(maxFields === Number.POSITIVE_INFINITY || (Number.isInteger(maxFields) && maxFields >= 0))
  ) {
    throw new RangeError(
      `options.maxFields must be a non-negative integer or Infinity, got ${maxFields}`,
    );
  }
  return { keepBlank: !!keepBlankValues, strict: !!strictParsing, maxFields, separator };
}

function badField(text: string): QueryStringError {
  const shown = text.length > 64 ? `${text.slice(0, 64)}…` : text;
  return new QueryStringError("ERR_BAD_FIELD", `bad query field: ${JSON.stringify(shown)}`);
}

function tooManyFields(limit: number): QueryStringError {
  return new QueryStringError("ERR_TOO_MANY_FIELDS", `more than ${limit} fields`);
}

/**
 * CPython counts `1 + qs.count(separator)` before splitting, so empty fields count too
 * (bpo-34866: the limit stops a memory-exhaustion DoS before any field is allocated).
 */
function checkFieldCount(s: string, separator: string, limit: number): void {
  // No input this short can hold more separators than the limit allows; skip the count.
  if (Math.floor(s.length / separator.length) + 1 <= limit) return;
  if (limit < 1) throw tooManyFields(limit);
  let fields = 1;
  let at = s.indexOf(separator);
  while (at !== -1) {
    if (++fields > limit) throw tooManyFields(limit);
    at = s.indexOf(separator, at + separator.length);
  }
}

function decodeString(s: string, start: number, end: number, flags: number): string {
  if (flags === 0) return s.slice(start, end);
  if (flags === HAS_PLUS) return plusToSpace(s.slice(start, end));
  return decodeStringEscapes(s, start, end);
}

function add(sink: Sink, name: string, value: string): void {
  const record = sink.record;
  if (record === null) {
    sink.pairs!.push([name, value]);
    return;
  }
  const list = record[name];
  if (list === undefined) record[name] = [value];
  else list.push(value);
}

function parseString(s: string, o: Resolved, sink: Sink): void {
  const len = s.length;
  if (len === 0) return;
  if (o.maxFields !== Number.POSITIVE_INFINITY) checkFieldCount(s, o.separator, o.maxFields);
  const separator = o.separator;
  const sepLen = separator.length;
  let start = 0;
  while (start <= len) {
    let end = s.indexOf(separator, start);
    if (end === -1) end = len;
    if (start === end) {
      if (o.strict) throw badField("");
    } else {
      let eq = -1;
      let nameFlags = 0;
      let flags = 0;
      for (let i = start; i < end; i++) {
        const c = s.charCodeAt(i);
        if (c === PERCENT) flags |= HAS_PERCENT;
        else if (c === PLUS) flags |= HAS_PLUS;
        else if (c === EQUALS && eq === -1) {
          eq = i;
          nameFlags = flags;
          flags = 0;
        }
      }
      if (eq === -1) {
        if (o.strict) throw badField(s.slice(start, end));
        if (o.keepBlank) add(sink, decodeString(s, start, end, flags), "");
      } else if (eq + 1 < end || o.keepBlank) {
        add(sink, decodeString(s, start, eq, nameFlags), decodeString(s, eq + 1, end, flags));
      }
    }
    start = end + sepLen;
  }
}

function decodeBytes(b: Uint8Array, start: number, end: number, flags: number): string {
  if (flags === 0) return utf8(b, start, end);
  if (flags === HAS_PLUS) return plusToSpace(utf8(b, start, end));
  return decodeByteEscapes(b, start, end);
}

/** Index of `sep` in `b` at or after `from`, or -1; separators are short, so a naive search. */
function indexOfBytes(b: Uint8Array, sep: Uint8Array, from: number): number {
  const first = sep[0]!;
  const last = b.length - sep.length;
  for (let i = b.indexOf(first, from); i !== -1 && i <= last; i = b.indexOf(first, i + 1)) {
    let j = 1;
    while (j < sep.length && b[i + j] === sep[j]) j++;
    if (j === sep.length) return i;
  }
  return -1;
}

const encoder = new TextEncoder();

function parseBytes(b: Uint8Array, o: Resolved, sink: Sink): void {
  const len = b.length;
  if (len === 0) return;
  const single = o.separator.length === 1 && o.separator.charCodeAt(0) < 0x80;
  const sep = single ? null : encoder.encode(o.separator);
  const sepByte = o.separator.charCodeAt(0);
  const sepLen = sep === null ? 1 : sep.length;
  if (o.maxFields !== Number.POSITIVE_INFINITY && Math.floor(len / sepLen) + 1 > o.maxFields) {
    if (o.maxFields < 1) throw tooManyFields(o.maxFields);
    let fields = 1;
    let at = sep === null ? b.indexOf(sepByte) : indexOfBytes(b, sep, 0);
    while (at !== -1) {
      if (++fields > o.maxFields) throw tooManyFields(o.maxFields);
      at = sep === null ? b.indexOf(sepByte, at + 1) : indexOfBytes(b, sep, at + sepLen);
    }
  }
  let start = 0;
  while (start <= len) {
    let end = sep === null ? b.indexOf(sepByte, start) : indexOfBytes(b, sep, start);
    if (end === -1) end = len;
    if (start === end) {
      if (o.strict) throw badField("");
    } else {
      let eq = -1;
      let nameFlags = 0;
      let flags = 0;
      for (let i = start; i < end; i++) {
        const c = b[i]!;
        if (c === PERCENT) flags |= HAS_PERCENT;
        else if (c === PLUS) flags |= HAS_PLUS;
        else if (c === EQUALS && eq === -1) {
          eq = i;
          nameFlags = flags;
          flags = 0;
        }
      }
      if (eq === -1) {
        if (o.strict) throw badField(utf8(b, start, end));
        if (o.keepBlank) add(sink, decodeBytes(b, start, end, flags), "");
      } else if (eq + 1 < end || o.keepBlank) {
        add(sink, decodeBytes(b, start, eq, nameFlags), decodeBytes(b, eq + 1, end, flags));
      }
    }
    start = end + sepLen;
  }
}

/** Runs the parse_qsl algorithm over a string or a byte body into `sink`. */
export function parseInto(input: string | Uint8Array, o: Resolved, sink: Sink): void {
  if (typeof input === "string") parseString(input, o, sink);
  else if (input instanceof Uint8Array) parseBytes(input, o, sink);
  else throw new TypeError(`input must be a string or a Uint8Array, got ${typeof input}`);
}

/** Options {@link parse} uses: the WHATWG parser keeps blanks, splits on "&" and has no limit. */
export const WHATWG_OPTIONS: Resolved = {
  keepBlank: true,
  strict: false,
  maxFields: Number.POSITIVE_INFINITY,
  separator: "&",
};

/**
 * Parses a query string or form body into a null-prototype record of name -> values, with the
 * semantics of CPython 3.11's `urllib.parse.parse_qs`.
 *
 * Fields split on the separator only ("&"; ";" is data since CVE-2021-23336), the first "="
 * splits name from value, "+" is a space and %XX escapes decode as UTF-8 with U+FFFD for invalid
 * sequences; malformed escapes stay as written. Names like `__proto__` are plain keys.
 *
 * @param input A string, or a body as bytes (decoded in place, without a string copy first).
 * @throws {QueryStringError} `ERR_TOO_MANY_FIELDS` when `1 + separators > maxFields`;
 *   `ERR_BAD_FIELD` under `strictParsing` for an empty field or one without "=".
 * @throws {TypeError | RangeError} for an input that is not a string or bytes, or bad options.
 * @example
 * // Python: parse_qs("message=hello+world&save=", keep_blank_values=True)
 * parseQs("message=hello+world&save=", { keepBlankValues: true });
 * // => { message: ["hello world"], save: [""] }
 */
export function parseQs(
  input: string | Uint8Array,
  options?: ParseQsOptions,
): Record<string, string[]> {
  const record: Record<string, string[]> = Object.create(null);
  parseInto(input, resolve(options), { record, pairs: null });
  return record;
}

/**
 * Parses a query string or form body into its ordered [name, value] pairs, with the semantics
 * of CPython 3.11's `urllib.parse.parse_qsl`; see {@link parseQs} for the rules.
 *
 * @throws {QueryStringError} `ERR_TOO_MANY_FIELDS` or `ERR_BAD_FIELD`, as {@link parseQs}.
 * @throws {TypeError | RangeError} for an input that is not a string or bytes, or bad options.
 * @example
 * parseQsl("tag=a&tag=b&x=%E2%82%AC");
 * // => [["tag", "a"], ["tag", "b"], ["x", "€"]]
 */
export function parseQsl(input: string | Uint8Array, options?: ParseQsOptions): [string, string][] {
  const pairs: [string, string][] = [];
  parseInto(input, resolve(options), { record: null, pairs });
  return pairs;
}
