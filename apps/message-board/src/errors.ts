import { HttpError, type HttpErrorCode } from "@wireweb/http";
import { MessageStoreError, type MessageStoreErrorCode } from "@wireweb/message-store";
import { QueryStringError, type QueryStringErrorCode } from "@wireweb/querystring";

/**
 * Stable codes of {@link BoardError}; the JSON API sends them as `error.code`. An error of a
 * wireweb package that the board has no words of its own for keeps its package code.
 */
export type BoardErrorCode =
  | HttpErrorCode
  | MessageStoreErrorCode
  | QueryStringErrorCode
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
  | "ERR_STORE_UNAVAILABLE"
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
 * Maps an error from the store, the form decoder or the HTTP engine to a {@link BoardError} with
 * the status its package gives it (a stalled body stays 408, a cut one 400; never 500). A few get
 * the board's own words; anything else unknown becomes a 500 whose message says nothing about
 * the cause (it is logged, not shown).
 */
export function toBoardError(error: unknown): BoardError {
  if (error instanceof BoardError) return error;
  const cause = { cause: error };
  if (MessageStoreError.is(error)) return fromStoreError(error);
  if (HttpError.is(error)) {
    if (error.code === "WW_HTTP_BODY_TOO_LARGE") {
      return new BoardError("ERR_BODY_TOO_LARGE", 413, "The request body is too large.", cause);
    }
    return new BoardError(error.code, error.status, `The request failed: ${error.message}.`, cause);
  }
  if (QueryStringError.is(error)) {
    if (error.code === "WW_QS_TOO_MANY_FIELDS") {
      return new BoardError("ERR_INVALID_FORM", 400, "The form has too many fields.", cause);
    }
    return new BoardError(error.code, error.status, "The form is not valid.", cause);
  }
  return new BoardError("ERR_INTERNAL", 500, "Something went wrong on the server.", cause);
}

/** The store's errors in the board's words; the status is the store's. */
function fromStoreError(error: MessageStoreError): BoardError {
  const cause = { cause: error };
  switch (error.code) {
    case "WW_STORE_MESSAGE_TOO_LARGE":
      return new BoardError("ERR_MESSAGE_TOO_LARGE", error.status, error.message, cause);
    case "WW_STORE_INVALID_CURSOR":
      return new BoardError(
        "ERR_INVALID_CURSOR",
        error.status,
        "That page cursor is not valid.",
        cause,
      );
    case "WW_STORE_NO_SPACE":
      return new BoardError(
        "ERR_STORE_NO_SPACE",
        error.status,
        "Not saved: the board's disk is full. Please try again later.",
        cause,
      );
    case "WW_STORE_WRITE_FAILED":
      return new BoardError(
        "ERR_STORE_WRITE_FAILED",
        error.status,
        "Not saved: the board could not write to its disk. Please try again later.",
        cause,
      );
    case "WW_STORE_READ_ONLY":
      return new BoardError(
        "ERR_STORE_READ_ONLY",
        error.status,
        "Not saved: the board cannot save messages until it is restarted (a disk write failed).",
        cause,
      );
    case "WW_STORE_CLOSED":
      return new BoardError("ERR_STORE_CLOSED", error.status, "The board is shutting down.", cause);
    case "WW_STORE_UNAVAILABLE":
      // PostgreSQL is restarting or unreachable: nothing is lost, a retry in a moment works.
      return new BoardError(
        "ERR_STORE_UNAVAILABLE",
        error.status,
        "The board's database cannot be reached right now. Please try again in a moment.",
        cause,
      );
  }
  return new BoardError(error.code, error.status, "The board cannot read its messages.", cause);
}

/** A 405 naming the allowed methods. */
export function methodNotAllowed(allow: string): BoardError {
  return new BoardError("ERR_METHOD_NOT_ALLOWED", 405, `This address allows ${allow} only.`, {
    allow,
  });
}
