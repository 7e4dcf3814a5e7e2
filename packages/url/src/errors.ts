/** Stable codes carried by {@link UrlError}; callers branch on these, never on messages. */
export type UrlErrorCode =
  | "ERR_INVALID_TARGET"
  | "ERR_INVALID_PATH"
  | "ERR_BAD_ESCAPE"
  | "ERR_INVALID_UTF8"
  | "ERR_NUL_BYTE"
  | "ERR_CONTROL_CHAR"
  | "ERR_ENCODED_SEPARATOR"
  | "ERR_BACKSLASH"
  | "ERR_COLON"
  | "ERR_TRAVERSAL"
  | "ERR_INVALID_URL"
  | "ERR_UNSUPPORTED_SCHEME";

/**
 * The HTTP status that fits each code: 400 for input that is malformed, 403 for input that is
 * well-formed but tries to reach outside the root or to name a file in a way some file system
 * would read differently (RFC 9110 §15.5.1, §15.5.4).
 */
const STATUS: Readonly<Record<UrlErrorCode, number>> = {
  ERR_INVALID_TARGET: 400,
  ERR_INVALID_PATH: 400,
  ERR_BAD_ESCAPE: 400,
  ERR_INVALID_UTF8: 400,
  ERR_NUL_BYTE: 400,
  ERR_CONTROL_CHAR: 400,
  ERR_ENCODED_SEPARATOR: 403,
  ERR_BACKSLASH: 403,
  ERR_COLON: 403,
  ERR_TRAVERSAL: 403,
  ERR_INVALID_URL: 400,
  ERR_UNSUPPORTED_SCHEME: 400,
};

/**
 * Input the package refuses: a malformed request-target, path or URL, or a path that would leave
 * the served root.
 *
 * @example
 * try { resolveSafePath(root, request.path) } catch (err) {
 *   if (err instanceof UrlError) reply(err.status); // 400 or 403
 * }
 */
export class UrlError extends Error {
  override readonly name = "UrlError";
  /** Stable machine-readable reason. */
  readonly code: UrlErrorCode;
  /** Suggested HTTP status: 400 for bad syntax or encoding, 403 for traversal and forbidden names. */
  readonly status: number;

  constructor(code: UrlErrorCode, message: string, options?: ErrorOptions) {
    super(message, options);
    this.code = code;
    this.status = STATUS[code];
  }
}
