/** Stable codes of {@link BoardError}; the JSON API sends them as `error.code`. */
export type BoardErrorCode =
  | "ERR_EMPTY_MESSAGE"
  | "ERR_MESSAGE_TOO_LARGE"
  | "ERR_BODY_TOO_LARGE"
  | "ERR_INVALID_JSON"
  | "ERR_INVALID_FORM"
  | "ERR_UNSUPPORTED_MEDIA_TYPE"
  | "ERR_INVALID_CURSOR"
  | "ERR_INVALID_LIMIT"
  | "ERR_CROSS_ORIGIN"
  | "ERR_ADMIN_REQUIRED"
  | "ERR_WRONG_PASSWORD"
  | "ERR_TOO_MANY_ATTEMPTS"
  | "ERR_CLEAR_DISABLED"
  | "ERR_NO_ADMINISTRATOR"
  | "ERR_METHOD_NOT_ALLOWED"
  | "ERR_NOT_FOUND"
  | "ERR_STORE_NO_SPACE"
  | "ERR_STORE_WRITE_FAILED"
  | "ERR_STORE_READ_ONLY"
  | "ERR_STORE_CLOSED"
  | "ERR_INTERNAL";

/**
 * A request the board refuses, with the HTTP status to answer. The page shows `message`; the JSON
 * API sends `{ "error": { "code", "message" } }`.
 */
export class BoardError extends Error {
  override readonly name = "BoardError";
  readonly code: BoardErrorCode;
  /** The HTTP status to answer with. */
  readonly status: number;
  /** For 405: the methods the resource allows (the `Allow` header). */
  readonly allow?: string;

  constructor(
    code: BoardErrorCode,
    status: number,
    message: string,
    options?: ErrorOptions & { allow?: string },
  ) {
    super(message, options);
    this.code = code;
    this.status = status;
    if (options?.allow !== undefined) this.allow = options.allow;
  }
}

/**
 * Whether `error` carries a string `code` (errors from other packages are matched by code, never
 * by class), and that it is `code` when one is given.
 */
export function hasCode(error: unknown, code?: string): error is Error & { code: string } {
  if (!(error instanceof Error)) return false;
  const actual = (error as { code?: unknown }).code;
  return typeof actual === "string" && (code === undefined || actual === code);
}

/**
 * Maps an error from the store or the HTTP layer to a {@link BoardError}; anything unknown becomes
 * a 500 whose message says nothing about the cause (it is logged, not shown).
 */
export function toBoardError(error: unknown): BoardError {
  if (error instanceof BoardError) return error;
  if (hasCode(error)) {
    switch (error.code) {
      case "ERR_MESSAGE_TOO_LARGE":
        return new BoardError("ERR_MESSAGE_TOO_LARGE", 413, error.message, { cause: error });
      case "ERR_BODY_TOO_LARGE":
        return new BoardError("ERR_BODY_TOO_LARGE", 413, "The request body is too large.", {
          cause: error,
        });
      case "ERR_INVALID_CURSOR":
        return new BoardError("ERR_INVALID_CURSOR", 400, "That page cursor is not valid.", {
          cause: error,
        });
      case "ERR_STORE_NO_SPACE":
        return new BoardError(
          "ERR_STORE_NO_SPACE",
          503,
          "Not saved: the board's disk is full. Please try again later.",
          { cause: error },
        );
      case "ERR_STORE_WRITE_FAILED":
        return new BoardError(
          "ERR_STORE_WRITE_FAILED",
          503,
          "Not saved: the board could not write to its disk. Please try again later.",
          { cause: error },
        );
      case "ERR_STORE_READ_ONLY":
        return new BoardError(
          "ERR_STORE_READ_ONLY",
          503,
          "Not saved: the board cannot save messages until it is restarted (a disk write failed).",
          { cause: error },
        );
      case "ERR_STORE_CLOSED":
        return new BoardError("ERR_STORE_CLOSED", 503, "The board is shutting down.", {
          cause: error,
        });
      case "ERR_TOO_MANY_FIELDS":
        return new BoardError("ERR_INVALID_FORM", 400, "The form has too many fields.", {
          cause: error,
        });
    }
  }
  return new BoardError("ERR_INTERNAL", 500, "Something went wrong on the server.", {
    cause: error,
  });
}

/** A 405 naming the allowed methods. */
export function methodNotAllowed(allow: string): BoardError {
  return new BoardError("ERR_METHOD_NOT_ALLOWED", 405, `This address allows ${allow} only.`, {
    allow,
  });
}
