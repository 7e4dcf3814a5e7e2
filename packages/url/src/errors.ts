/**
 * Every code of {@link UrlError} and the HTTP status that fits it: 400 for input that is
 * malformed, 403 for input that is well-formed but tries to reach outside the root or to name a
 * file in a way some file system would read differently (RFC 9110 §15.5.1, §15.5.4). The
 * constructor looks the status up; no call site chooses one. The `WW_URL_` prefix keeps the
 * codes apart from Node's own `ERR_*` codes (Node has its own `ERR_INVALID_URL`) and from the
 * other wireweb packages' codes.
 */
const STATUS = {
  WW_URL_INVALID_TARGET: 400,
  WW_URL_INVALID_PATH: 400,
  WW_URL_BAD_ESCAPE: 400,
  WW_URL_INVALID_UTF8: 400,
  WW_URL_NUL_BYTE: 400,
  WW_URL_CONTROL_CHAR: 400,
  WW_URL_ENCODED_SEPARATOR: 403,
  WW_URL_BACKSLASH: 403,
  WW_URL_COLON: 403,
  WW_URL_TRAVERSAL: 403,
  WW_URL_INVALID_URL: 400,
  WW_URL_UNSUPPORTED_SCHEME: 400,
} as const satisfies Record<string, number>;

/** Stable codes carried by {@link UrlError}; callers branch on these, never on messages. */
export type UrlErrorCode = keyof typeof STATUS;

/** The status each code answers with (see the catalog in the README). */
export const URL_ERROR_STATUS: Readonly<Record<UrlErrorCode, number>> = STATUS;

/** Global, so that two copies of this package (two versions, or a bundle) share the brand. */
const BRAND: unique symbol = Symbol.for("@wireweb/url:UrlError");

/**
 * Input the package refuses: a malformed request-target, path or URL, or a path that would leave
 * the served root. `status` comes from the code.
 *
 * Test an error with {@link UrlError.is} or by its `code`: both work across duplicate copies of
 * the package.
 *
 * @example
 * try { resolveSafePath(root, request.path) } catch (err) {
 *   if (UrlError.is(err)) return reply(err.status); // 400 or 403
 *   throw err;
 * }
 */
export class UrlError extends Error {
  override readonly name = "UrlError";
  /** Stable machine-readable reason. */
  readonly code: UrlErrorCode;
  /** The HTTP status that fits: 400 for bad syntax or encoding, 403 for traversal and forbidden names. */
  readonly status: number;

  constructor(code: UrlErrorCode, message: string, options?: ErrorOptions) {
    super(message, options);
    this.code = code;
    this.status = STATUS[code];
  }

  /** Whether `value` is a UrlError from any copy of `@wireweb/url`. */
  static is(value: unknown): value is UrlError {
    return typeof value === "object" && value !== null && (value as Branded)[BRAND] === true;
  }

  /** `instanceof` gives the same answer as {@link UrlError.is}. */
  static override [Symbol.hasInstance](value: unknown): boolean {
    return UrlError.is(value);
  }
}

interface Branded {
  [BRAND]?: unknown;
}

// On the prototype, not on each instance: it stays out of util.inspect and JSON output.
Object.defineProperty(UrlError.prototype, BRAND, { value: true });
