import { type FileHandle, open, rename, unlink } from "node:fs/promises";
import { dirname } from "node:path";
import { MessageStoreError } from "./errors.js";
import { syncFolder, writeAll } from "./file-layer.js";
import { releaseLock } from "./lock.js";
import { MessageIndex } from "./message-index.js";
import { encodeRecords, HEADER_BYTES, type LogRecord } from "./record.js";
import { type LogState, scanFile } from "./scan-log.js";
import { Subscription } from "./subscription.js";
import type {
  Cursor,
  ListOptions,
  MessagePage,
  MessageStore,
  StoredMessage,
  StoreEvent,
  StoreFileSystem,
} from "./types.js";

/** Largest `limit` that `list` accepts. */
export const MAX_LIST_LIMIT = 100_000;
const DEFAULT_LIST_LIMIT = 100;
/** Appends per write: bounds one batch's memory and latency under a flood. */
const MAX_BATCH = 4096;
const CURSOR = /^(?:0|[1-9]\d{0,14})$/;

type Operation =
  | {
      kind: "append";
      text: string;
      resolve(message: StoredMessage): void;
      reject(err: unknown): void;
    }
  | { kind: "clear"; resolve(result: { id: Cursor }): void; reject(err: unknown): void };

/** Everything `openStore` hands over once the log is read and recovered. */
export interface FileStoreInit {
  file: string;
  lockFile: string;
  handle: FileHandle;
  layer: StoreFileSystem;
  size: number;
  state: LogState;
  maxMessageBytes: number;
  /** Where the store tells its operator about disk trouble and recovery (once per episode). */
  onWarning: (message: string) => void;
}

/** Error codes that mean "no room", not "broken": they clear up when space is freed. */
const NO_SPACE = new Set(["ENOSPC", "EDQUOT"]);

/**
 * The file-log adapter of {@link MessageStore}. One writer loop owns the file: appends queue
 * while a write + fdatasync is in flight and the next loop turn commits all of them with one
 * write and one fdatasync (group commit). The in-memory index changes only after a sync, so
 * what `list` and `follow` show is always on disk.
 */
export class FileMessageStore implements MessageStore {
  /** Suffix of the temporary file a clear writes before renaming it over the log. */
  static readonly CLEAR_SUFFIX = ".clear-tmp";
  readonly durability = "fsync" as const;
  readonly #file: string;
  readonly #lockFile: string;
  readonly #layer: StoreFileSystem;
  readonly #maxMessageBytes: number;
  readonly #onWarning: (message: string) => void;
  #handle: FileHandle;
  #size: number;
  #index: MessageIndex;
  #lastSeq: number;
  #lastClearSeq: number;
  #queue: Operation[] = [];
  #writing: Promise<void> | undefined;
  #failure: unknown;
  #failed = false;
  /**
   * The errno (`ENOSPC`, `EIO`, …) of a failed write the store recovered from (the log was cut
   * back), so that the operator hears of it once; cleared by the next durable write. Appends
   * meanwhile still try: the attempt is the probe.
   */
  #troubleErrno: string | undefined;
  #closing: Promise<void> | undefined;
  readonly #subscriptions = new Set<Subscription>();

  constructor(init: FileStoreInit) {
    this.#file = init.file;
    this.#lockFile = init.lockFile;
    this.#handle = init.handle;
    this.#layer = init.layer;
    this.#size = init.size;
    this.#maxMessageBytes = init.maxMessageBytes;
    this.#onWarning = init.onWarning;
    this.#index = init.state.index;
    this.#lastSeq = init.state.lastSeq;
    this.#lastClearSeq = init.state.lastClearSeq;
  }

  async append(text: string): Promise<StoredMessage> {
    if (typeof text !== "string") throw new TypeError(`text must be a string, got ${typeof text}`);
    this.#checkWritable();
    const bytes = Buffer.byteLength(text, "utf8");
    if (bytes > this.#maxMessageBytes) {
      throw new MessageStoreError(
        "WW_STORE_MESSAGE_TOO_LARGE",
        `message is ${bytes} bytes; the limit is ${this.#maxMessageBytes}`,
      );
    }
    return new Promise((resolve, reject) => {
      this.#queue.push({ kind: "append", text, resolve, reject });
      this.#startWriter();
    });
  }

  async clear(): Promise<{ id: Cursor }> {
    this.#checkWritable();
    return new Promise((resolve, reject) => {
      this.#queue.push({ kind: "clear", resolve, reject });
      this.#startWriter();
    });
  }

  async list(options: ListOptions = {}): Promise<MessagePage> {
    this.#checkOpen();
    if (typeof options !== "object" || options === null) {
      throw new TypeError("options must be an object");
    }
    const limit = options.limit ?? DEFAULT_LIST_LIMIT;
    if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIST_LIMIT) {
      throw new RangeError(
        `option limit must be an integer from 1 to ${MAX_LIST_LIMIT}, got ${limit}`,
      );
    }
    const { before, after } = options;
    if (before !== undefined && after !== undefined) {
      throw new TypeError("pass at most one of options before and after");
    }
    const afterSeq = after === undefined ? undefined : parseCursor(after, "after");
    const beforeSeq = before === undefined ? undefined : parseCursor(before, "before");
    for (;;) {
      const index = this.#index;
      let start: number;
      let end: number;
      if (afterSeq !== undefined) {
        start = index.firstAfter(afterSeq);
        end = Math.min(index.length, start + limit);
      } else {
        end = beforeSeq === undefined ? index.length : index.firstAfter(beforeSeq - 1);
        start = Math.max(0, end - limit);
      }
      let messages: StoredMessage[];
      try {
        messages = await index.slice(start, end);
      } catch (err) {
        // A clear during the read closed the file it read from: the page is now the new one's.
        if (this.#index !== index) continue;
        this.#checkOpen(); // closed while reading: say so, not "read failed"
        throw this.#readError(err);
      }
      if (afterSeq !== undefined) {
        return end < index.length ? { messages, next: messages.at(-1)!.id } : { messages };
      }
      return start > 0 ? { messages, next: messages[0]!.id } : { messages };
    }
  }

  #readError(err: unknown): unknown {
    if (MessageStoreError.is(err)) return err;
    return new MessageStoreError("WW_STORE_IO", `message store ${this.#file}: read failed`, {
      file: this.#file,
      cause: err,
    });
  }

  follow(after: Cursor | undefined, signal: AbortSignal): AsyncIterable<StoreEvent> {
    if (!(signal instanceof AbortSignal)) throw new TypeError("signal must be an AbortSignal");
    this.#checkOpen();
    const replay =
      after === undefined
        ? undefined
        : replayAfter(
            parseCursor(after, "after"),
            this.#index,
            this.#lastClearSeq,
            () => this.#index,
          );
    const subscription = new Subscription(replay, signal, (sub) => this.#subscriptions.delete(sub));
    if (!signal.aborted) this.#subscriptions.add(subscription);
    return subscription;
  }

  close(): Promise<void> {
    this.#closing ??= this.#shutDown();
    return this.#closing;
  }

  async #shutDown(): Promise<void> {
    // Accepted writes finish first: a caller awaiting append() gets its answer.
    while (this.#writing !== undefined) await this.#writing;
    for (const subscription of this.#subscriptions) subscription.end();
    try {
      await this.#handle.close();
    } catch (err) {
      throw new MessageStoreError("WW_STORE_IO", `message store ${this.#file}: close failed`, {
        file: this.#file,
        cause: err,
      });
    } finally {
      await releaseLock(this.#lockFile).catch(() => undefined);
    }
  }

  #checkOpen(): void {
    if (this.#closing !== undefined) {
      throw new MessageStoreError("WW_STORE_CLOSED", `message store ${this.#file} is closed`, {
        file: this.#file,
      });
    }
  }

  #checkWritable(): void {
    this.#checkOpen();
    if (this.#failed) throw this.#readOnlyError();
  }

  #readOnlyError(): MessageStoreError {
    return new MessageStoreError(
      "WW_STORE_READ_ONLY",
      `message store ${this.#file} is read-only until restart: ${String(this.#failure)}`,
      { file: this.#file, cause: this.#failure },
    );
  }

  #startWriter(): void {
    this.#writing ??= this.#runWriter();
  }

  async #runWriter(): Promise<void> {
    try {
      // Let every append made in the current tick join the first batch.
      await null;
      while (this.#queue.length > 0) {
        if (this.#failed) {
          const error = this.#readOnlyError();
          for (const operation of this.#queue.splice(0)) operation.reject(error);
          return;
        }
        const first = this.#queue[0]!;
        if (first.kind === "clear") {
          this.#queue.shift();
          await this.#commitClear(first);
          continue;
        }
        let n = 1;
        while (n < this.#queue.length && n < MAX_BATCH && this.#queue[n]!.kind === "append") n++;
        const batch = this.#queue.splice(0, n) as Array<Extract<Operation, { kind: "append" }>>;
        await this.#commitAppends(batch);
      }
    } finally {
      // Cleared in the same turn as the last queue check, so a later append starts a new loop.
      this.#writing = undefined;
    }
  }

  async #commitAppends(batch: Array<Extract<Operation, { kind: "append" }>>): Promise<void> {
    const postedAt = new Date().toISOString();
    const first = this.#lastSeq + 1;
    const records: LogRecord[] = batch.map((op, i) => ({
      seq: first + i,
      postedAt,
      text: op.text,
    }));
    const bytes = encodeRecords(records);
    try {
      await writeAll(this.#layer, this.#handle.fd, bytes, this.#size);
    } catch (err) {
      await this.#recover(err, "write", batch);
      return;
    }
    try {
      await this.#layer.fdatasync(this.#handle.fd);
    } catch (err) {
      await this.#recover(err, "fsync", batch);
      return;
    }
    this.#recovered();
    this.#size += bytes.length;
    this.#lastSeq = first + batch.length - 1;
    const messages = batch.map((op, i) => {
      const message: StoredMessage = Object.freeze({
        id: String(first + i),
        text: op.text,
        postedAt,
      });
      this.#index.add(first + i, message);
      return message;
    });
    for (const message of messages) this.#emit({ type: "message", id: message.id, message });
    for (let i = 0; i < batch.length; i++) batch[i]!.resolve(messages[i]!);
  }

  /**
   * Rewrites the log as a header plus one clear record: temporary file, fsync, rename over the
   * log, fsync the folder. The clear record keeps the sequence numbers rising across clears.
   */
  async #commitClear(op: Extract<Operation, { kind: "clear" }>): Promise<void> {
    const seq = this.#lastSeq + 1;
    const temporary = `${this.#file}${FileMessageStore.CLEAR_SUFFIX}`;
    const bytes = Buffer.concat([HEADER_BYTES, encodeRecords([{ seq, type: "clear" }])]);
    let next: FileHandle | undefined;
    try {
      next = await open(temporary, "w+");
      await writeAll(this.#layer, next.fd, bytes, 0);
      await this.#layer.fsync(next.fd);
    } catch (err) {
      // The log itself was not touched: drop the half-written copy and stay writable.
      await next?.close().catch(() => undefined);
      await unlink(temporary).catch(() => undefined);
      this.#reject(this.#troubleError(err, "clear"), [op]);
      this.#warnTrouble(err, "clear", "a clear was refused; the log was not touched");
      return;
    }
    try {
      await rename(temporary, this.#file);
      await syncFolder(this.#layer, dirname(this.#file));
    } catch (err) {
      await next.close().catch(() => undefined);
      this.#breakDown(
        `renaming the cleared log over ${this.#file} could not be made durable (${describe(err)})`,
        err,
        [op],
      );
      return;
    }
    this.#recovered();
    const previous = this.#handle;
    this.#handle = next;
    this.#size = bytes.length;
    this.#lastSeq = seq;
    this.#lastClearSeq = seq;
    this.#index = new MessageIndex();
    const id = String(seq);
    this.#emit({ type: "clear", id });
    op.resolve({ id });
    // The old handle points at the replaced file; nothing reads it any more.
    await previous.close().catch(() => undefined);
  }

  /**
   * A batch's write or fdatasync failed. The batch is refused (nothing of it was acknowledged);
   * the log is cut back to its last durable length and fsynced, so the file on disk is exactly
   * what was acknowledged. After a failed fsync that is not enough: Linux may have dropped the
   * failed pages and the next fsync would report success for them (PostgreSQL's "fsyncgate"), so
   * the failed range is never synced again; it is cut off, and the log is re-read from the file
   * and checked record by record before anything more is written. Acknowledged bytes were synced
   * by an earlier, successful fsync, so they are not what a failed one can lose. If the cut or the
   * check fails, the store goes read-only until restart and says why.
   */
  async #recover(err: unknown, action: "write" | "fsync", batch: Operation[]): Promise<void> {
    // Refused only once the file is settled, so a 503 never races the cut-back it reports.
    const refused = [...batch, ...this.#queue.splice(0)];
    try {
      await this.#layer.truncate(this.#handle.fd, this.#size);
      await this.#layer.fsync(this.#handle.fd);
    } catch (cutErr) {
      this.#breakDown(
        `after a failed ${action} (${describe(err)}) the log could not be cut back to its last ` +
          `durable length of ${this.#size} bytes (${describe(cutErr)})`,
        cutErr,
        refused,
      );
      return;
    }
    if (action === "fsync") {
      const mismatch = await this.#verify();
      if (mismatch !== undefined) {
        this.#breakDown(
          `after a failed fsync (${describe(err)}) the log read back from disk ${mismatch}`,
          err,
          refused,
        );
        return;
      }
    }
    this.#reject(this.#troubleError(err, action), refused);
    const n = refused.length;
    this.#warnTrouble(
      err,
      action,
      `${n} ${n === 1 ? "post was" : "posts were"} refused and not stored; ` +
        `the log was cut back to its last durable length (${this.#size} bytes)` +
        (action === "fsync" ? " and read back and checked" : ""),
    );
  }

  /** Re-reads the whole log through a new handle; a description of what differs, if anything. */
  async #verify(): Promise<string | undefined> {
    let handle: FileHandle | undefined;
    try {
      handle = await open(this.#file, "r");
      const { size } = await handle.stat();
      if (size !== this.#size) return `is ${size} bytes long, not ${this.#size}`;
      const state = await scanFile(handle, size, this.#file);
      if (state.validLength !== size || state.lastSeq !== this.#lastSeq) {
        return `ends at record ${state.lastSeq}, not ${this.#lastSeq}`;
      }
      return undefined;
    } catch (readErr) {
      return `could not be checked (${describe(readErr)})`;
    } finally {
      await handle?.close().catch(() => undefined);
    }
  }

  /** Tells the operator about a recovered failure, once per cause (not once per refused post). */
  #warnTrouble(err: unknown, action: string, outcome: string): void {
    const errno = errnoOf(err);
    if (this.#troubleErrno === errno) return;
    this.#troubleErrno = errno;
    const what = NO_SPACE.has(errno)
      ? `the disk is full (${describe(err)})`
      : `${action === "write" ? "a" : "an"} ${action} failed (${describe(err)})`;
    this.#onWarning(
      `message store ${this.#file}: ${what}; ${outcome}; posts are accepted again as soon as a write succeeds`,
    );
  }

  /** The first durable write after a recovered failure: say that the trouble is over. */
  #recovered(): void {
    if (this.#troubleErrno === undefined) return;
    this.#troubleErrno = undefined;
    this.#onWarning(`message store ${this.#file}: writes succeed again`);
  }

  #troubleError(err: unknown, action: string): MessageStoreError {
    const errno = errnoOf(err);
    if (NO_SPACE.has(errno)) {
      return new MessageStoreError(
        "WW_STORE_NO_SPACE",
        `message store ${this.#file}: not stored, the disk is full (${describe(err)}); try again later`,
        { file: this.#file, cause: err },
      );
    }
    return new MessageStoreError(
      "WW_STORE_WRITE_FAILED",
      `message store ${this.#file}: not stored, the ${action} failed (${describe(err)}); try again later`,
      { file: this.#file, cause: err },
    );
  }

  /** Read-only until restart: the file can no longer be shown to match what was acknowledged. */
  #breakDown(reason: string, cause: unknown, batch: Operation[]): void {
    this.#failed = true;
    this.#failure = reason;
    const error = new MessageStoreError(
      "WW_STORE_READ_ONLY",
      `message store ${this.#file} is read-only until restart: ${reason}`,
      { file: this.#file, cause },
    );
    this.#reject(error, [...batch, ...this.#queue.splice(0)]);
    this.#onWarning(`message store ${this.#file}: read-only until restart: ${reason}`);
  }

  #reject(error: MessageStoreError, operations: Operation[]): void {
    for (const operation of operations) operation.reject(error);
  }

  #emit(event: StoreEvent): void {
    for (const subscription of this.#subscriptions) subscription.push(event);
  }
}

/** Messages per read while replaying. */
const REPLAY_PAGE = 512;

/** The events after `seq`: a clear first if one came after it, then the messages since. */
function replayAfter(
  seq: number,
  index: MessageIndex,
  lastClearSeq: number,
  current: () => MessageIndex,
): AsyncIterator<StoreEvent> {
  // Bounds taken now, not on first next(): later events arrive through the live queue, once.
  const end = index.length;
  const start = index.firstAfter(seq);
  const clearId = seq < lastClearSeq ? String(lastClearSeq) : undefined;
  return (async function* (): AsyncGenerator<StoreEvent> {
    if (clearId !== undefined) yield { type: "clear", id: clearId };
    for (let i = start; i < end; i += REPLAY_PAGE) {
      let messages: StoredMessage[];
      try {
        messages = await index.slice(i, Math.min(end, i + REPLAY_PAGE));
      } catch (err) {
        // Cleared meanwhile: the rest was erased, and the clear event is next in the live queue.
        if (current() !== index) return;
        if (MessageStoreError.is(err)) throw err;
        throw new MessageStoreError("WW_STORE_IO", `message store: replay read failed`, {
          cause: err,
        });
      }
      for (const message of messages) yield { type: "message", id: message.id, message };
    }
  })();
}

/** `ENOSPC`, `EIO`, … of a file system error; `""` when it has none. */
function errnoOf(err: unknown): string {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === "string" ? code : "";
}

/** `ENOSPC: no space left on device, write`: Node's message already names the cause. */
function describe(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

function parseCursor(cursor: unknown, name: string): number {
  if (typeof cursor !== "string") {
    throw new TypeError(`option ${name} must be a cursor string, got ${typeof cursor}`);
  }
  if (!CURSOR.test(cursor)) {
    throw new MessageStoreError(
      "WW_STORE_INVALID_CURSOR",
      `${name} is not a cursor of this store: ${JSON.stringify(cursor.slice(0, 40))}`,
    );
  }
  return Number(cursor);
}
