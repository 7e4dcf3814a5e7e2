/**
 * Every code of {@link QueryStringError} and the HTTP status a server answers with. The
 * constructor looks the status up; no call site chooses one. The `WW_QS_` prefix keeps the codes
 * apart from Node's own `ERR_*` codes and from the other wireweb packages' codes.
 */
const STATUS = {
  /** More fields than `maxFields`: too large for this server (RFC 9110 §15.5.14). */
  WW_QS_TOO_MANY_FIELDS: 413,
  /** An empty field or one without `=` under `strictParsing`. */
  WW_QS_BAD_FIELD: 400,
} as const satisfies Record<string, number>;

/** Stable codes carried by {@link QueryStringError}; callers branch on these, never on messages. */
export type QueryStringErrorCode = keyof typeof STATUS;

/** The status each code answers with (see the catalog in the README). */
export const QUERY_STRING_ERROR_STATUS: Readonly<Record<QueryStringErrorCode, number>> = STATUS;

/** Global, so that two copies of this package (two versions, or a bundle) share the brand. */
const BRAND: unique symbol = Symbol.for("@wireweb/querystring:QueryStringError");

/**
 * Bad query or form input: too many fields, or a malformed field under `strictParsing`.
 * `status` comes from the code.
 *
 * Test an error with {@link QueryStringError.is} or by its `code`: both work across duplicate
 * copies of the package.
 *
 * @example
 * try { parseQs(body) } catch (err) {
 *   if (QueryStringError.is(err)) return reply(err.status); // 413 or 400
 *   throw err;
 * }
 */
export class QueryStringError extends Error {
  override readonly name = "QueryStringError";
  /** Stable machine-readable reason. */
  readonly code: QueryStringErrorCode;
  /** The HTTP status that fits this error (413 for too many fields, 400 otherwise). */
  readonly status: number;

  constructor(code: QueryStringErrorCode, message: string, options?: ErrorOptions) {
    super(message, options);
    this.code = code;
    this.status = STATUS[code];
  }

  /** Whether `value` is a QueryStringError from any copy of `@wireweb/querystring`. */
  static is(value: unknown): value is QueryStringError {
    return typeof value === "object" && value !== null && (value as Branded)[BRAND] === true;
  }

  /** `instanceof` gives the same answer as {@link QueryStringError.is}. */
  static override [Symbol.hasInstance](value: unknown): boolean {
    return QueryStringError.is(value);
  }
}

interface Branded {
  [BRAND]?: unknown;
}

// On the prototype, not on each instance: it stays out of util.inspect and JSON output.
Object.defineProperty(QueryStringError.prototype, BRAND, { value: true });
