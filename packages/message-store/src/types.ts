/**
 * The public shapes of @wireweb/message-store. `MessageStore` is the contract apps code against;
 * the file log is one adapter, and a PostgreSQL or Redis adapter can implement it later.
 */

/**
 * An opaque, ordered position in the store. The file log uses the record's sequence number in
 * decimal ("42"); other adapters may use other text. Compare cursors only through the store.
 */
export type Cursor = string;

/** One message as stored: the store assigns `id` and `postedAt`. */
export interface StoredMessage {
  readonly id: Cursor;
  readonly text: string;
  /** When the store accepted it: ISO 8601, UTC, milliseconds (`2026-11-23T19:58:36.123Z`). */
  readonly postedAt: string;
}

/** What `follow` yields. Every event's `id` can be passed back as `after` to resume after it. */
export type StoreEvent =
  | { readonly type: "message"; readonly id: Cursor; readonly message: StoredMessage }
  | { readonly type: "clear"; readonly id: Cursor };

/** Which page `list` returns; pass at most one of `before` and `after`. */
export interface ListOptions {
  /** Messages per page, 1 to {@link MAX_LIST_LIMIT}. Default 100. */
  limit?: number;
  /** The latest `limit` messages older than this cursor. */
  before?: Cursor;
  /** The earliest `limit` messages newer than this cursor. */
  after?: Cursor;
}

/** One page of messages, oldest first. */
export interface MessagePage {
  messages: StoredMessage[];
  /**
   * Where the next page in the same direction starts: pass it as `before` (default and `before`
   * pages) or as `after` (`after` pages). Absent when there is nothing more.
   */
  next?: Cursor;
}

/** A durable, ordered message log. Every method is async so network-backed stores fit. */
export interface MessageStore {
  /** What a resolved `append` promises: `fsync` = on this machine's disk (the OS's fsync). */
  readonly durability: "fsync" | "replicated" | "async";
  /** Stores `text`; resolves only once the record is durable. */
  append(text: string): Promise<StoredMessage>;
  /** One page of the messages since the last clear. */
  list(options?: ListOptions): Promise<MessagePage>;
  /** Removes every message, durably; resolves with the clear event's id. */
  clear(): Promise<{ id: Cursor }>;
  /** Replays the events after `after` (none when undefined), then yields live events until `signal` aborts or the store closes. */
  follow(after: Cursor | undefined, signal: AbortSignal): AsyncIterable<StoreEvent>;
  /** Finishes accepted writes, ends every `follow`, and releases the file. */
  close(): Promise<void>;
}

/**
 * The file operations the writer uses after opening, replaceable for fault injection in tests
 * (an fsync that fails, a crash that keeps only synced bytes). Defaults to node:fs.
 */
export interface StoreFileSystem {
  /** Writes `length` bytes of `buffer` from `offset` at file `position`; may write fewer. */
  write(
    fd: number,
    buffer: Uint8Array,
    offset: number,
    length: number,
    position: number,
  ): Promise<number>;
  /** Flushes the file's data (and the size) to the device. */
  fdatasync(fd: number): Promise<void>;
  /** Cuts the file to `length` bytes (ftruncate): how a failed write is undone. */
  truncate(fd: number, length: number): Promise<void>;
  /** Flushes the file's data and metadata to the device; used for new files and folders. */
  fsync(fd: number): Promise<void>;
}

/** Options of {@link openStore}. */
export interface OpenStoreOptions {
  /**
   * Called with human-readable warnings for the operator: a torn tail recovered at open, a write
   * that failed (once per cause, e.g. the disk is full) and that writes succeed again, a store
   * gone read-only. Default: console.warn.
   */
  onWarning?(message: string): void;
  /** Largest message in UTF-8 bytes; larger appends reject with WW_STORE_MESSAGE_TOO_LARGE. Default 4096. */
  maxMessageBytes?: number;
  /** File operations for the writer (fault injection); unset members use node:fs. */
  fs?: Partial<StoreFileSystem>;
}
