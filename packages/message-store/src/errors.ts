/** Stable codes of {@link MessageStoreError}; callers branch on these, never on the message. */
export type MessageStoreErrorCode =
  /** A complete record fails its checksum or does not parse; the file was left untouched. */
  | "ERR_STORE_CORRUPT"
  /** The header names a format version this code does not read. */
  | "ERR_STORE_UNSUPPORTED_VERSION"
  /** Another live process holds the log's lock file. */
  | "ERR_STORE_LOCKED"
  /**
   * Not stored: the disk is full (ENOSPC, or EDQUOT). The log was cut back to its last durable
   * length; the next append tries again (HTTP 503, try later).
   */
  | "ERR_STORE_NO_SPACE"
  /**
   * Not stored: a write or fsync failed for another reason (EIO, …). The log was cut back (and,
   * after a failed fsync, read back and checked); the next append tries again (HTTP 503).
   */
  | "ERR_STORE_WRITE_FAILED"
  /**
   * A failed write could not be undone, or the log read back after a failed fsync does not match
   * what was acknowledged: appends and clears are refused until restart (HTTP 503).
   */
  | "ERR_STORE_READ_ONLY"
  /** The store was closed. */
  | "ERR_STORE_CLOSED"
  /** The text is longer than `maxMessageBytes` UTF-8 bytes. */
  | "ERR_MESSAGE_TOO_LARGE"
  /** A cursor that this store never hands out. */
  | "ERR_INVALID_CURSOR"
  /** The file system failed while opening, recovering or closing. */
  | "ERR_STORE_IO";

/**
 * An error from the message store: a bad cursor or message, a corrupt or locked file, or a
 * failed write. `file` and `offset` (a byte offset into the log) say where, when they apply.
 *
 * @example
 * try { await openStore("board.log"); }
 * catch (err) { if (err instanceof MessageStoreError && err.code === "ERR_STORE_CORRUPT") … }
 */
export class MessageStoreError extends Error {
  override readonly name = "MessageStoreError";
  readonly code: MessageStoreErrorCode;
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
    if (details.file !== undefined) this.file = details.file;
    if (details.offset !== undefined) this.offset = details.offset;
  }
}
