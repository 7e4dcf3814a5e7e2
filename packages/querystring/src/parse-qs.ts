import { QueryStringError } from "./errors.js";
import type { PairSink, RecordSink } from "./fields.js";
import { indexOfBytes, scanBytes } from "./scan-bytes.js";
import { scanPlain, scanString } from "./scan-text.js";

/** Options of {@link parseQs} and {@link parseQsl}, named after CPython's keyword arguments. */
export interface ParseQsOptions {
  /** Keep fields whose raw value is empty (`a=` and a bare `a`) as `""`. Default `false`. */
  keepBlankValues?: boolean;
  /** Throw `WW_QS_BAD_FIELD` for a field without "=" or an empty field. Default `false`. */
  strictParsing?: boolean;
  /** Most fields allowed, counted as `1 + number of separators`; `Infinity` for no limit. Default 1000. */
  maxFields?: number;
  /** Field separator, any non-empty string. Default `"&"`. */
  separator?: string;
}

/** Default of {@link ParseQsOptions.maxFields}, the same number as node:querystring's `maxKeys`. */
export const DEFAULT_MAX_FIELDS = 1000;

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

function tooManyFields(limit: number): QueryStringError {
  return new QueryStringError("WW_QS_TOO_MANY_FIELDS", `more than ${limit} fields`);
}

/** True when an input this long cannot hold more fields than the limit: no count needed. */
function fitsLimit(length: number, sepLength: number, limit: number): boolean {
  return Math.floor(length / sepLength) + 1 <= limit;
}

/**
 * Throws when `1 + occurrences of the separator` exceeds the limit. CPython counts before it
 * splits, so empty fields count too (bpo-34866: the check stops a memory-exhaustion DoS before
 * any field is allocated). `find(from)` returns the next separator index or -1.
 */
function checkFieldCount(sepLength: number, limit: number, find: (from: number) => number): void {
  if (limit < 1) throw tooManyFields(limit);
  let fields = 1;
  for (let at = find(0); at !== -1; at = find(at + sepLength)) {
    if (++fields > limit) throw tooManyFields(limit);
  }
}

function parseString(s: string, rules: Rules, record: RecordSink, pairs: PairSink): void {
  const len = s.length;
  if (len === 0) return;
  const separator = rules.separator;
  if (!fitsLimit(len, separator.length, rules.maxFields)) {
    checkFieldCount(separator.length, rules.maxFields, (from) => s.indexOf(separator, from));
  }
  // Most bodies a browser sends for a short form have no escape at all.
  if (s.indexOf("%") === -1) scanPlain(s, rules.keepBlank, rules.strict, separator, record, pairs);
  else scanString(s, rules.keepBlank, rules.strict, separator, record, pairs);
}

const encoder = new TextEncoder();

function parseBytes(b: Uint8Array, rules: Rules, record: RecordSink, pairs: PairSink): void {
  const len = b.length;
  if (len === 0) return;
  const separator = rules.separator;
  const single = separator.length === 1 && separator.charCodeAt(0) < 0x80;
  const sepCode = single ? separator.charCodeAt(0) : -1;
  const sep = single ? null : encoder.encode(separator);
  const sepLen = sep === null ? 1 : sep.length;
  if (!fitsLimit(len, sepLen, rules.maxFields)) {
    const find =
      sep === null
        ? (from: number) => b.indexOf(sepCode, from)
        : (from: number) => indexOfBytes(b, sep, from);
    checkFieldCount(sepLen, rules.maxFields, find);
  }
  scanBytes(b, rules.keepBlank, rules.strict, sepCode, sep, record, pairs);
}

/** Runs the parse_qsl algorithm over a string or a byte body, into a record or a pair list. */
export function parseInto(
  input: string | Uint8Array,
  rules: Rules,
  record: RecordSink,
  pairs: PairSink,
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
 * @throws {QueryStringError} `WW_QS_TOO_MANY_FIELDS` when `1 + separators > maxFields`;
 *   `WW_QS_BAD_FIELD` under `strictParsing` for an empty field or one without "=".
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
 * @throws {QueryStringError} `WW_QS_TOO_MANY_FIELDS` or `WW_QS_BAD_FIELD`, as {@link parseQs}.
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
