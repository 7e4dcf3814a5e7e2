/** Stable codes of {@link HttpError}; callers branch on these, never on the message. */
export type HttpErrorCode =
  // request line
  | "ERR_INVALID_METHOD"
  | "ERR_INVALID_TARGET"
  | "ERR_INVALID_VERSION"
  | "ERR_UNSUPPORTED_VERSION"
  | "ERR_LINE_TOO_LONG"
  // header section
  | "ERR_INVALID_HEADER_NAME"
  | "ERR_INVALID_HEADER_VALUE"
  | "ERR_OBS_FOLD"
  | "ERR_BARE_CR"
  | "ERR_BARE_LF"
  | "ERR_HEADER_TOO_LARGE"
  | "ERR_TOO_MANY_HEADERS"
  | "ERR_MISSING_HOST"
  | "ERR_INVALID_HOST"
  // framing
  | "ERR_INVALID_CONTENT_LENGTH"
  | "ERR_CL_TE_CONFLICT"
  | "ERR_INVALID_TRANSFER_ENCODING"
  | "ERR_UNSUPPORTED_TRANSFER_ENCODING"
  | "ERR_INVALID_CHUNK"
  | "ERR_BODY_TOO_LARGE"
  | "ERR_INCOMPLETE_MESSAGE"
  | "ERR_INVALID_TRAILER"
  // connection
  | "ERR_TIMEOUT"
  | "ERR_CONNECTION_CLOSED";

/**
 * An error in what a client sent, carrying the status to answer with.
 * The server answers `status` with `Connection: close` and never calls the handler.
 */
export class HttpError extends Error {
  override readonly name = "HttpError";
  readonly code: HttpErrorCode;
  /** The HTTP status to send (400, 408, 413, 414, 431, 501, 505). */
  readonly status: number;
  /** Byte offset into the connection's input where the problem was found, or -1. */
  readonly offset: number;

  constructor(
    code: HttpErrorCode,
    status: number,
    message: string,
    offset = -1,
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.code = code;
    this.status = status;
    this.offset = offset;
  }
}
