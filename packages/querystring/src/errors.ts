/** Stable codes carried by {@link QueryStringError}; callers branch on these, never on messages. */
export type QueryStringErrorCode = "ERR_TOO_MANY_FIELDS" | "ERR_BAD_FIELD";

/** HTTP status a server should answer with for each code. */
const STATUS: Readonly<Record<QueryStringErrorCode, number>> = {
  // A body with more fields than allowed is too large for this server (RFC 9110 §15.5.14).
  ERR_TOO_MANY_FIELDS: 413,
  ERR_BAD_FIELD: 400,
};

/**
 * Bad query or form input: too many fields, or a malformed field under `strictParsing`.
 *
 * @example
 * try { parseQs(body) } catch (err) {
 *   if ((err as QueryStringError).code === "ERR_TOO_MANY_FIELDS") reply(413);
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
}
