import { type FileHandle, open, rename } from "node:fs/promises";
import { dirname } from "node:path";
import { MessageStoreError } from "./errors.js";
import { syncFolder, writeAll } from "./file-layer.js";
import { releaseLock } from "./lock.js";
import { MessageIndex } from "./message-index.js";
import { encodeRecords, HEADER_BYTES, type LogRecord } from "./record.js";
import type { LogState } from "./scan-log.js";
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
}

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
  #handle: FileHandle;
  #size: number;
  #index: MessageIndex;
  #lastSeq: number;
  #lastClearSeq: number;
  #queue: Operation[] = [];
  #writing: Promise<void> | undefined;
  #failure: unknown;
  #failed = false;
  #closing: Promise<void> | undefined;
  readonly #subscriptions = new Set<Subscription>();

  constructor(init: FileStoreInit) {
    this.#file = init.file;
    this.#lockFile = init.lockFile;
    this.#handle = init.handle;
    this.#layer = init.layer;
    this.#size = init.size;
    this.#maxMessageBytes = init.maxMessageBytes;
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
    const reason = this.#failure instanceof Error ? this.#failure.message : String(this.#failure);
    return new MessageStoreError(
      "WW_STORE_READ_ONLY",
      `message store ${this.#file} is read-only until restart: a write or fsync failed (${reason})`,
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
      await this.#layer.fdatasync(this.#handle.fd);
    } catch (err) {
      // Never retry: after a failed fsync the kernel may have dropped the dirty pages and a
      // second fsync would report success for data that is gone (PostgreSQL's "fsyncgate").
      this.#fail(err, batch);
      return;
    }
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
      await rename(temporary, this.#file);
      await syncFolder(this.#layer, dirname(this.#file));
    } catch (err) {
      await next?.close().catch(() => undefined);
      this.#fail(err, [op]);
      return;
    }
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

  #fail(err: unknown, batch: Operation[]): void {
    this.#failed = true;
    this.#failure = err;
    const error = this.#readOnlyError();
    for (const operation of batch) operation.reject(error);
    for (const operation of this.#queue.splice(0)) operation.reject(error);
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
