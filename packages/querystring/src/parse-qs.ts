import { QueryStringError } from "./errors.js";
import { asciiString, decodeBytes, decodeStringEscapes } from "./utf8.js";

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

/** Default of {@link ParseQsOptions.maxFields}, the same number as node:querystring's `maxKeys`. */
export const DEFAULT_MAX_FIELDS = 1000;

const EQUALS = 0x3d; // "="
const PERCENT = 0x25; // "%"
const PLUS = 0x2b; // "+"

// What a scan saw in a name or value, to pick the cheapest way to decode it.
const HAS_PLUS = 1;
const HAS_PERCENT = 2;
const HAS_HIGH = 4; // a byte >= 0x80 (bytes input only)

/** The parsing rules, resolved from {@link ParseQsOptions}. */
export interface Rules {
  keepBlank: boolean;
  strict: boolean;
  maxFields: number;
  separator: string;
}

const DEFAULT_RULES: Rules = {
  keepBlank: false,
  strict: false,
  maxFields: DEFAULT_MAX_FIELDS,
  separator: "&",
};
const KEEP_BLANK_RULES: Rules = { ...DEFAULT_RULES, keepBlank: true };

function resolve(options: ParseQsOptions | undefined): Rules {
  if (options === undefined) return DEFAULT_RULES;
  if (typeof options !== "object" || options === null) {
    throw new TypeError(`options must be an object, got ${typeof options}`);
  }
  const { keepBlankValues, strictParsing, maxFields, separator } = options;
  // The message board's call, parseQs(body, { keepBlankValues: true }), allocates nothing.
  if (strictParsing === undefined && maxFields === undefined && separator === undefined) {
    return keepBlankValues ? KEEP_BLANK_RULES : DEFAULT_RULES;
  }
  if (separator !== undefined && (typeof separator !== "string" || separator.length === 0)) {
    throw new TypeError(`options.separator must be a non-empty string, got ${String(separator)}`);
  }
  if (
    maxFields !== undefined &&
    maxFields !== Number.POSITIVE_INFINITY &&
    !(Number.isInteger(maxFields) && maxFields >= 0)
  ) {
    throw new RangeError(
      `options.maxFields must be a non-negative integer or Infinity, got ${maxFields}`,
    );
  }
  return {
    keepBlank: !!keepBlankValues,
    strict: !!strictParsing,
    maxFields: maxFields ?? DEFAULT_MAX_FIELDS,
    separator: separator ?? "&",
  };
}

function badField(text: string): QueryStringError {
  const shown = text.length > 64 ? `${text.slice(0, 64)}…` : text;
  return new QueryStringError("ERR_BAD_FIELD", `bad query field: ${JSON.stringify(shown)}`);
}

function tooManyFields(limit: number): QueryStringError {
  return new QueryStringError("ERR_TOO_MANY_FIELDS", `more than ${limit} fields`);
}

/**
 * Throws when `1 + occurrences of the separator` exceeds the limit. CPython counts before it
 * splits, so empty fields count too (bpo-34866: the check stops a memory-exhaustion DoS before
 * any field is allocated). `find(from)` returns the next separator index or -1.
 */
function checkFieldCount(
  length: number,
  sepLength: number,
  limit: number,
  find: (from: number) => number,
): void {
  // No input this short can hold more separators than the limit allows; skip the count.
  if (Math.floor(length / sepLength) + 1 <= limit) return;
  if (limit < 1) throw tooManyFields(limit);
  let fields = 1;
  for (let at = find(0); at !== -1; at = find(at + sepLength)) {
    if (++fields > limit) throw tooManyFields(limit);
  }
}

function add(
  record: Record<string, string[]> | null,
  pairs: [string, string][] | null,
  name: string,
  value: string,
): void {
  if (record === null) {
    pairs!.push([name, value]);
    return;
  }
  const list = record[name];
  if (list === undefined) record[name] = [value];
  else list.push(value);
}

function decodeString(s: string, start: number, end: number, flags: number): string {
  if (flags === 0) return s.slice(start, end);
  if (flags === HAS_PLUS) return s.slice(start, end).replaceAll("+", " ");
  return decodeStringEscapes(s, start, end);
}

function parseString(
  s: string,
  rules: Rules,
  record: Record<string, string[]> | null,
  pairs: [string, string][] | null,
): void {
  const len = s.length;
  if (len === 0) return;
  const { keepBlank, strict, separator } = rules;
  const sepLen = separator.length;
  if (rules.maxFields !== Number.POSITIVE_INFINITY) {
    checkFieldCount(len, sepLen, rules.maxFields, (from) => s.indexOf(separator, from));
  }
  // A one-unit separator is found by the scan itself; a longer one by indexOf, and the scan
  // then runs to that index (-1 never equals a character code).
  const sepCode = sepLen === 1 ? separator.charCodeAt(0) : -1;
  let start = 0;
  while (start <= len) {
    let end = len;
    if (sepCode === -1) {
      end = s.indexOf(separator, start);
      if (end === -1) end = len;
    }
    let eq = -1;
    let nameFlags = 0;
    let flags = 0;
    let i = start;
    for (; i < end; i++) {
      const c = s.charCodeAt(i);
      if (c === sepCode) break;
      if (c === PERCENT) flags |= HAS_PERCENT;
      else if (c === PLUS) flags |= HAS_PLUS;
      else if (c === EQUALS && eq === -1) {
        eq = i;
        nameFlags = flags;
        flags = 0;
      }
    }
    if (i === start) {
      if (strict) throw badField("");
    } else if (eq === -1) {
      if (strict) throw badField(s.slice(start, i));
      if (keepBlank) add(record, pairs, decodeString(s, start, i, flags), "");
    } else if (eq + 1 < i || keepBlank) {
      const name = decodeString(s, start, eq, nameFlags);
      add(record, pairs, name, decodeString(s, eq + 1, i, flags));
    }
    start = i + sepLen;
  }
}

function decodeByteField(b: Uint8Array, start: number, end: number, flags: number): string {
  if (flags === 0) return asciiString(b, start, end);
  if (flags === HAS_PLUS) return asciiString(b, start, end).replaceAll("+", " ");
  return decodeBytes(b, start, end);
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

function parseBytes(
  b: Uint8Array,
  rules: Rules,
  record: Record<string, string[]> | null,
  pairs: [string, string][] | null,
): void {
  const len = b.length;
  if (len === 0) return;
  const { keepBlank, strict, separator } = rules;
  const sepCode =
    separator.length === 1 && separator.charCodeAt(0) < 0x80 ? separator.charCodeAt(0) : -1;
  const sep = sepCode === -1 ? encoder.encode(separator) : null;
  const sepLen = sep === null ? 1 : sep.length;
  const find =
    sep === null
      ? (from: number) => b.indexOf(sepCode, from)
      : (from: number) => indexOfBytes(b, sep, from);
  if (rules.maxFields !== Number.POSITIVE_INFINITY) {
    checkFieldCount(len, sepLen, rules.maxFields, find);
  }
  let start = 0;
  while (start <= len) {
    let end = len;
    if (sep !== null) {
      end = find(start);
      if (end === -1) end = len;
    }
    let eq = -1;
    let nameFlags = 0;
    let flags = 0;
    let i = start;
    for (; i < end; i++) {
      const c = b[i]!;
      if (c === sepCode) break;
      if (c === PERCENT) flags |= HAS_PERCENT;
      else if (c === PLUS) flags |= HAS_PLUS;
      else if (c >= 0x80) flags |= HAS_HIGH;
      else if (c === EQUALS && eq === -1) {
        eq = i;
        nameFlags = flags;
        flags = 0;
      }
    }
    if (i === start) {
      if (strict) throw badField("");
    } else if (eq === -1) {
      if (strict) throw badField(decodeBytes(b, start, i));
      if (keepBlank) add(record, pairs, decodeByteField(b, start, i, flags), "");
    } else if (eq + 1 < i || keepBlank) {
      const name = decodeByteField(b, start, eq, nameFlags);
      add(record, pairs, name, decodeByteField(b, eq + 1, i, flags));
    }
    start = i + sepLen;
  }
}

/** Runs the parse_qsl algorithm over a string or a byte body, into a record or a pair list. */
export function parseInto(
  input: string | Uint8Array,
  rules: Rules,
  record: Record<string, string[]> | null,
  pairs: [string, string][] | null,
): void {
  if (typeof input === "string") parseString(input, rules, record, pairs);
  else if (input instanceof Uint8Array) parseBytes(input, rules, record, pairs);
  else throw new TypeError(`input must be a string or a Uint8Array, got ${typeof input}`);
}

/** The rules {@link parse} uses: the WHATWG parser keeps blanks, splits on "&", has no limit. */
export const WHATWG_RULES: Rules = {
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
  parseInto(input, resolve(options), record, null);
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
  parseInto(input, resolve(options), null, pairs);
  return pairs;
}
