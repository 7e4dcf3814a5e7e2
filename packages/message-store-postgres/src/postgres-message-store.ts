import {
  type Cursor,
  type ListOptions,
  MAX_LIST_LIMIT,
  type MessagePage,
  type MessageStore,
  MessageStoreError,
  type StoredMessage,
  type StoreEvent,
} from "@wireweb/message-store";
import type pg from "pg";
import { unavailable } from "./connection.js";
import { type LiveFeed, toMessage } from "./live-feed.js";
import type { MessageRow, Statements } from "./sql.js";

const DEFAULT_LIST_LIMIT = 100;
/** Appends per statement: bounds one batch's parameter size and latency under a flood. */
const MAX_BATCH = 1024;
const CURSOR = /^(?:0|[1-9]\d{0,14})$/;

type Operation =
  | { kind: "append"; text: string; resolve(m: StoredMessage): void; reject(e: unknown): void }
  | { kind: "clear"; resolve(r: { id: Cursor }): void; reject(e: unknown): void };

/** Everything `openPostgresStore` hands over once connected and migrated. */
export interface PostgresStoreInit {
  pool: pg.Pool;
  /** Whether `close()` ends the pool (it was created from a URL, not passed in). */
  ownsPool: boolean;
  sql: Statements;
  feed: LiveFeed;
  target: string;
  durability: MessageStore["durability"];
  maxMessageBytes: number;
}

/**
 * The PostgreSQL adapter of {@link MessageStore}. Appends queue while a batch is in flight and
 * the next batch commits all of them in one statement (group commit); a promise resolves only
 * once its batch's COMMIT has returned. Appends and clears of one instance run in call order.
 */
export class PostgresMessageStore implements MessageStore {
  readonly durability: MessageStore["durability"];
  readonly #init: PostgresStoreInit;
  #queue: Operation[] = [];
  #writing: Promise<void> | undefined;
  #closing: Promise<void> | undefined;

  constructor(init: PostgresStoreInit) {
    this.#init = init;
    this.durability = init.durability;
  }

  async append(text: string): Promise<StoredMessage> {
    if (typeof text !== "string") throw new TypeError(`text must be a string, got ${typeof text}`);
    this.#checkOpen();
    const bytes = Buffer.byteLength(text, "utf8");
    if (bytes > this.#init.maxMessageBytes) {
      throw new MessageStoreError(
        "WW_STORE_MESSAGE_TOO_LARGE",
        `message is ${bytes} bytes; the limit is ${this.#init.maxMessageBytes}`,
      );
    }
    return new Promise((resolve, reject) => {
      this.#queue.push({ kind: "append", text, resolve, reject });
      this.#startWriter();
    });
  }

  async clear(): Promise<{ id: Cursor }> {
    this.#checkOpen();
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
    if (before !== undefined) parseCursor(before, "before");
    if (after !== undefined) parseCursor(after, "after");
    const { sql } = this.#init;
    // One row more than the page says whether there is a next page.
    const [text, values] =
      after !== undefined
        ? [sql.after, [limit + 1, after]]
        : before !== undefined
          ? [sql.before, [limit + 1, before]]
          : [sql.latest, [limit + 1]];
    let rows: MessageRow[];
    try {
      ({ rows } = await this.#init.pool.query<MessageRow>(text, values));
    } catch (err) {
      throw unavailable(this.#init.target, "list", err);
    }
    const more = rows.length > limit;
    if (more) rows.pop();
    const messages = rows.map(toMessage);
    if (after !== undefined) return more ? { messages, next: messages.at(-1)!.id } : { messages };
    messages.reverse();
    return more ? { messages, next: messages[0]!.id } : { messages };
  }

  follow(after: Cursor | undefined, signal: AbortSignal): AsyncIterable<StoreEvent> {
    if (!(signal instanceof AbortSignal)) throw new TypeError("signal must be an AbortSignal");
    this.#checkOpen();
    return this.#init.feed.subscribe(
      after === undefined ? undefined : parseCursor(after, "after"),
      signal,
    );
  }

  close(): Promise<void> {
    this.#closing ??= this.#shutDown();
    return this.#closing;
  }

  async #shutDown(): Promise<void> {
    // Accepted writes finish first: a caller awaiting append() gets its answer.
    while (this.#writing !== undefined) await this.#writing;
    await this.#init.feed.close();
    if (this.#init.ownsPool) await this.#init.pool.end().catch(() => undefined);
  }

  #checkOpen(): void {
    if (this.#closing !== undefined) {
      throw new MessageStoreError(
        "WW_STORE_CLOSED",
        `message store on PostgreSQL ${this.#init.target} is closed`,
      );
    }
  }

  #startWriter(): void {
    this.#writing ??= this.#runWriter();
  }

  async #runWriter(): Promise<void> {
    try {
      // Let every append made in the current tick join the first batch.
      await null;
      while (this.#queue.length > 0) {
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
    let row: { before_id: string; posted_at: string };
    try {
      const { rows } = await this.#init.pool.query<{ before_id: string; posted_at: string }>(
        this.#init.sql.append,
        [batch.map((op) => JSON.stringify(op.text))],
      );
      row = rows[0]!;
    } catch (err) {
      // Not acknowledged means "maybe stored": a connection lost after COMMIT but before the
      // reply leaves the batch in the table. The next batch is tried afresh (the pool reconnects).
      const error = unavailable(this.#init.target, "append", err);
      for (const op of batch) op.reject(error);
      return;
    }
    const before = Number(row.before_id);
    const messages = batch.map((op, i) =>
      Object.freeze({ id: String(before + i + 1), text: op.text, postedAt: row.posted_at }),
    );
    this.#init.feed.committed(messages);
    for (let i = 0; i < batch.length; i++) batch[i]!.resolve(messages[i]!);
  }

  async #commitClear(op: Extract<Operation, { kind: "clear" }>): Promise<void> {
    let id: string;
    try {
      // A multi-statement query answers with one result per statement; [2] is the UPDATE's.
      const results = (await this.#init.pool.query(
        this.#init.sql.clear,
      )) as unknown as pg.QueryResult[];
      id = String(results[2]!.rows[0]!.id);
    } catch (err) {
      op.reject(unavailable(this.#init.target, "clear", err));
      return;
    }
    this.#init.feed.wake(Number(id));
    op.resolve({ id });
  }
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
