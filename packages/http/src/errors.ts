/**
 * Every code of {@link HttpError} and the HTTP status it answers with. The table is the one
 * place a status is chosen: the constructor looks it up, so no call site can pick another.
 * The `WW_HTTP_` prefix keeps the codes apart from Node's own `ERR_*` codes and from the other
 * wireweb packages' codes.
 */
const STATUS = {
  // request line
  WW_HTTP_INVALID_METHOD: 400,
  WW_HTTP_INVALID_TARGET: 400,
  WW_HTTP_INVALID_VERSION: 400,
  /** RFC 9110 §9.3.6: this server is not a proxy; CONNECT is answered 501 unless `onConnect` is set. */
  WW_HTTP_CONNECT_UNSUPPORTED: 501,
  /** Only HTTP/1.x is spoken (RFC 9110 §15.6.6). */
  WW_HTTP_UNSUPPORTED_VERSION: 505,
  /** RFC 9112 §3: a server that receives a request-target longer than it parses answers 414. */
  WW_HTTP_LINE_TOO_LONG: 414,
  // header section
  WW_HTTP_INVALID_HEADER_NAME: 400,
  WW_HTTP_INVALID_HEADER_VALUE: 400,
  WW_HTTP_OBS_FOLD: 400,
  WW_HTTP_BARE_CR: 400,
  WW_HTTP_BARE_LF: 400,
  /** RFC 6585 §5. */
  WW_HTTP_HEADER_TOO_LARGE: 431,
  WW_HTTP_TOO_MANY_HEADERS: 431,
  WW_HTTP_MISSING_HOST: 400,
  WW_HTTP_INVALID_HOST: 400,
  // framing
  WW_HTTP_INVALID_CONTENT_LENGTH: 400,
  WW_HTTP_CL_TE_CONFLICT: 400,
  WW_HTTP_INVALID_TRANSFER_ENCODING: 400,
  /** RFC 9112 §6.1: an unknown transfer coding is answered with 501. */
  WW_HTTP_UNSUPPORTED_TRANSFER_ENCODING: 501,
  WW_HTTP_INVALID_CHUNK: 400,
  WW_HTTP_BODY_TOO_LARGE: 413,
  WW_HTTP_INCOMPLETE_MESSAGE: 400,
  WW_HTTP_INVALID_TRAILER: 400,
  // connection
  WW_HTTP_TIMEOUT: 408,
  /**
   * The client went away; nothing is sent. 499 is nginx's "client closed request": it never
   * reaches the wire, but logs and handlers that map codes to statuses get a 4xx, not a 500.
   */
  WW_HTTP_CONNECTION_CLOSED: 499,
} as const satisfies Record<string, number>;

/** Stable codes of {@link HttpError}; callers branch on these, never on the message. */
export type HttpErrorCode = keyof typeof STATUS;

/** The status each code answers with (see the catalog in the README). */
export const HTTP_ERROR_STATUS: Readonly<Record<HttpErrorCode, number>> = STATUS;

/** Global, so that two copies of this package (two versions, or a bundle) share the brand. */
const BRAND: unique symbol = Symbol.for("@wireweb/http:HttpError");

/**
 * An error in what a client sent, or a client that stalled or left. `status` comes from the
 * code (never from the caller). The server answers `status` with `Connection: close`; a handler
 * reading the body gets the HttpError and may let it propagate, which answers the same status.
 *
 * Test an error with {@link HttpError.is} or by its `code`: both work across duplicate copies of
 * the package, where `instanceof` against one copy's class would not on its own.
 *
 * @example
 * try { await request.text(); } catch (err) {
 *   if (HttpError.is(err)) return reply(err.status); // 400, 408, 413 …
 *   throw err;
 * }
 */
export class HttpError extends Error {
  override readonly name = "HttpError";
  readonly code: HttpErrorCode;
  /** The HTTP status that fits the code (400, 408, 413, 414, 431, 499, 501, 505). */
  readonly status: number;
  /** Byte offset into the connection's input where the problem was found, or -1. */
  readonly offset: number;

  constructor(code: HttpErrorCode, message: string, offset = -1, options?: ErrorOptions) {
    super(message, options);
    this.code = code;
    this.status = STATUS[code];
    this.offset = offset;
  }

  /** Whether `value` is an HttpError from any copy of `@wireweb/http`. */
  static is(value: unknown): value is HttpError {
    return typeof value === "object" && value !== null && (value as Branded)[BRAND] === true;
  }

  /** `instanceof` gives the same answer as {@link HttpError.is}. */
  static override [Symbol.hasInstance](value: unknown): boolean {
    return HttpError.is(value);
  }
}

interface Branded {
  [BRAND]?: unknown;
}

// On the prototype, not on each instance: it stays out of util.inspect and JSON output.
Object.defineProperty(HttpError.prototype, BRAND, { value: true });
