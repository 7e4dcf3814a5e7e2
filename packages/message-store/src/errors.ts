/**
 * Every code of {@link MessageStoreError} and the HTTP status a server that fronts the store
 * answers with. The constructor looks the status up; no call site chooses one. The `WW_STORE_`
 * prefix keeps the codes apart from Node's own `ERR_*` codes and from the other wireweb packages'
 * codes. Other stores that implement the `MessageStore` contract (PostgreSQL) reuse this class
 * and may add codes here.
 *
 * The choice: the caller's fault is 4xx (a message too large, a cursor the store never handed
 * out); a store that is busy, shutting down or refusing writes for now is 503 (retry later); a
 * store whose data cannot be read is 500 (someone must look).
 */
const STATUS = {
  /** A complete record fails its checksum or does not parse; the file was left untouched. */
  WW_STORE_CORRUPT: 500,
  /** The header names a format version this code does not read. */
  WW_STORE_UNSUPPORTED_VERSION: 500,
  /** Another live process holds the log's lock file. */
  WW_STORE_LOCKED: 503,
  /**
   * Not stored: the disk is full (ENOSPC, or EDQUOT). The log was cut back to its last durable
   * length; the next append tries again.
   */
  WW_STORE_NO_SPACE: 503,
  /**
   * Not stored: a write or fsync failed for another reason (EIO, …). The log was cut back (and,
   * after a failed fsync, read back and checked); the next append tries again.
   */
  WW_STORE_WRITE_FAILED: 503,
  /**
   * A failed write could not be undone, or the log read back after a failed fsync does not match
   * what was acknowledged: appends and clears are refused until restart.
   */
  WW_STORE_READ_ONLY: 503,
  /** The store was closed (the server is shutting down). */
  WW_STORE_CLOSED: 503,
  /** The text is longer than `maxMessageBytes` UTF-8 bytes (RFC 9110 §15.5.14). */
  WW_STORE_MESSAGE_TOO_LARGE: 413,
  /** A cursor that this store never hands out. */
  WW_STORE_INVALID_CURSOR: 400,
  /** The file system failed while opening, recovering, reading or closing. */
  WW_STORE_IO: 500,
  /** The log's path names a directory, a device (`/dev/null`), a FIFO: not a regular file. */
  WW_STORE_NOT_A_FILE: 500,
  /**
   * A database-backed store (PostgreSQL) cannot reach its server, the server refused the login,
   * restarted, or failed the statement. An append that got this may still have been committed.
   */
  WW_STORE_UNAVAILABLE: 503,
} as const satisfies Record<string, number>;

/** Stable codes of {@link MessageStoreError}; callers branch on these, never on the message. */
export type MessageStoreErrorCode = keyof typeof STATUS;

/** The status each code answers with (see the catalog in the README). */
export const MESSAGE_STORE_ERROR_STATUS: Readonly<Record<MessageStoreErrorCode, number>> = STATUS;

/** Global, so that two copies of this package (two versions, or a bundle) share the brand. */
const BRAND: unique symbol = Symbol.for("@wireweb/message-store:MessageStoreError");

/**
 * An error from the message store: a bad cursor or message, a corrupt or locked file, or a
 * failed write. `status` comes from the code. `file` and `offset` (a byte offset into the log)
 * say where, when they apply.
 *
 * Test an error with {@link MessageStoreError.is} or by its `code`: both work across duplicate
 * copies of the package.
 *
 * @example
 * try { await openStore("board.log"); }
 * catch (err) { if (MessageStoreError.is(err) && err.code === "WW_STORE_CORRUPT") … }
 */
export class MessageStoreError extends Error {
  override readonly name = "MessageStoreError";
  readonly code: MessageStoreErrorCode;
  /** The HTTP status that fits the code (400, 413, 500, 503). */
  readonly status: number;
  /** The file concerned, as an absolute path. */
  readonly file?: string;
  /** Byte offset into `file` where the problem starts. */
  readonly offset?: number;

  constructor(
    code: MessageStoreErrorCode,
    message: string,
    details: { file?: string; offset?: number; cause?: unknown } = {},
  ) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.code = code;
    this.status = STATUS[code];
    if (details.file !== undefined) this.file = details.file;
    if (details.offset !== undefined) this.offset = details.offset;
  }

  /** Whether `value` is a MessageStoreError from any copy of `@wireweb/message-store`. */
  static is(value: unknown): value is MessageStoreError {
    return typeof value === "object" && value !== null && (value as Branded)[BRAND] === true;
  }

  /** `instanceof` gives the same answer as {@link MessageStoreError.is}. */
  static override [Symbol.hasInstance](value: unknown): boolean {
    return MessageStoreError.is(value);
  }
}

interface Branded {
  [BRAND]?: unknown;
}

// On the prototype, not on each instance: it stays out of util.inspect and JSON output.
Object.defineProperty(MessageStoreError.prototype, BRAND, { value: true });
