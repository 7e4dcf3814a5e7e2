import { type StoredMessage, type StoreEvent, Subscription } from "@wireweb/message-store";
import pg from "pg";
import { unavailable } from "./connection.js";
import type { EventRow, MessageRow, Statements } from "./sql.js";

/** Events read per query while catching up or replaying. */
const PAGE = 512;

/** What the feed needs from its store. */
export interface LiveFeedInit {
  pool: pg.Pool;
  /** Config of the dedicated LISTEN connection (never a pooled one: it must stay in one session). */
  listenConfig: pg.ClientConfig;
  sql: Statements;
  target: string;
  /** The last id at open: live events start after it. */
  lastId: number;
  /** Fallback poll and listener health check interval. */
  pollMs: number;
  onWarning(message: string): void;
}

/**
 * The events of one store instance, in id order, exactly once: every subscriber's live events
 * come from here. It keeps `seen`, the last id it delivered, and on every wake-up reads the
 * events after it in one snapshot (`board` row plus messages). Because appends are serialized by
 * the board row's lock, a snapshot that shows id n shows every id below n: reading "after
 * `seen`" can never skip a message that commits later with a smaller id, and never repeats one.
 *
 * Wake-ups: a NOTIFY from any instance (on a dedicated LISTEN connection), this instance's own
 * commits, and a timer every `pollMs` (NOTIFY is only a hint: after the listener reconnects,
 * anything it missed is read from the table, which is the truth). The timer also pings the
 * listener, because a dead server is not always noticed on an idle connection.
 */
export class LiveFeed {
  readonly #init: LiveFeedInit;
  /** Every subscriber, with the id its live events must be above. */
  readonly #subscriptions = new Map<Subscription, number>();
  #seen: number;
  /** The highest id this instance knows is committed (its own commits may be ahead of `#seen`). */
  #known = 0;
  /** This instance's own committed messages the feed has not reached yet, in id order. */
  #own: StoredMessage[] = [];
  #dirty = false;
  /** A catch-up run is in progress (`#running` is its promise, for close()). */
  #busy = false;
  #running: Promise<void> | undefined;
  #listener: pg.Client | undefined;
  #connecting = false;
  #retryMs = 50;
  #timer: ReturnType<typeof setInterval>;
  #closed = false;

  constructor(init: LiveFeedInit) {
    this.#init = init;
    this.#seen = init.lastId;
    this.#timer = setInterval(() => this.#tick(), init.pollMs);
    this.#timer.unref();
  }

  /** Connects the listener; resolves once it is listening (or has failed once and retries). */
  async start(): Promise<void> {
    await this.#connect();
  }

  /**
   * A new subscriber: replays the events in (`after`, the last id delivered so far], then gets
   * every live event after both. `after` undefined: live events only. A cursor ahead of this
   * instance (handed out by a faster one) gets no event twice: live events up to it are skipped.
   * (So a cursor from a database since wiped waits for the ids to pass it.)
   */
  subscribe(after: number | undefined, signal: AbortSignal): Subscription {
    const boundary = this.#seen;
    // Without a cursor: nothing committed before this call, including this instance's own
    // commits that the feed has not delivered yet (ids are in commit order, so everything
    // below them is older too).
    const floor = after === undefined ? Math.max(boundary, this.#known) : Math.max(after, boundary);
    const replay = after === undefined ? undefined : this.#replay(after, boundary);
    const subscription = new Subscription(replay, signal, (sub) => this.#subscriptions.delete(sub));
    if (!signal.aborted) this.#subscriptions.set(subscription, floor);
    return subscription;
  }

  /**
   * This instance committed `messages` (ids in a row): delivered at once when they are next in
   * line; otherwise kept until the catch-up reaches them, so that a clear committed right after
   * them cannot make this instance's followers miss them (the clear deletes the rows).
   */
  committed(messages: StoredMessage[]): void {
    const first = Number(messages[0]!.id);
    this.#known = Math.max(this.#known, Number(messages.at(-1)!.id));
    if (!this.#busy && first === this.#seen + 1) {
      this.#seen = Number(messages.at(-1)!.id);
      for (const message of messages) this.#emit({ type: "message", id: message.id, message });
      return;
    }
    this.#own.push(...messages);
    this.wake();
  }

  /** Something may have been committed (`committedId`: this instance's own): read what came after `seen`. */
  wake(committedId?: number): void {
    if (committedId !== undefined) this.#known = Math.max(this.#known, committedId);
    if (this.#closed) return;
    this.#dirty = true;
    if (this.#busy) return;
    this.#busy = true;
    this.#running = this.#catchUp();
  }

  /** Stops the timer and the listener and ends every subscription. */
  async close(): Promise<void> {
    this.#closed = true;
    clearInterval(this.#timer);
    for (const subscription of this.#subscriptions.keys()) subscription.end();
    await this.#running?.catch(() => undefined);
    const listener = this.#listener;
    this.#listener = undefined;
    await listener?.end().catch(() => undefined);
  }

  /**
   * Reads until nothing new was signalled. `#busy` is cleared in the same turn as the last
   * check of `#dirty`, so a wake() right after starts a new run and none is lost; and never two
   * runs at once (they would both read after the same `seen` and deliver twice).
   */
  async #catchUp(): Promise<void> {
    for (;;) {
      if (!this.#dirty || this.#closed) {
        this.#busy = false;
        return;
      }
      this.#dirty = false;
      // Nobody listening: only move `seen` forward (a new follower's live events start there).
      const full = this.#subscriptions.size > 0;
      try {
        if (!full) {
          const { rows } = await this.#init.pool.query<{ last_id: string }>(this.#init.sql.lastId);
          // A follower arrived meanwhile and expects everything after the old `seen`.
          if (this.#subscriptions.size > 0) this.#dirty = true;
          else this.#seen = Math.max(this.#seen, Number(rows[0]!.last_id));
          this.#dropOwn();
          continue;
        }
        const { rows } = await this.#init.pool.query<EventRow>(this.#init.sql.events, [
          this.#seen,
          PAGE,
          null,
        ]);
        const events = toEvents(rows, this.#seen);
        for (const event of events) {
          const id = Number(event.id);
          // Own messages the clear deleted before they were read back: still deliver them.
          if (event.type === "clear") this.#emitOwnBefore(id);
          this.#seen = id;
          this.#emit(event);
        }
        this.#dropOwn();
        if (rows.length >= PAGE) this.#dirty = true;
      } catch (err) {
        // The server is away: the timer (or the listener's reconnect) wakes us again later.
        if (!this.#closed)
          this.#init.onWarning(unavailable(this.#init.target, "reading new events", err).message);
        this.#busy = false;
        return;
      }
    }
  }

  #replay(after: number, boundary: number): AsyncIterator<StoreEvent> {
    const { pool, sql, target } = this.#init;
    return (async function* (): AsyncGenerator<StoreEvent> {
      let cursor = after;
      for (;;) {
        let rows: EventRow[];
        try {
          ({ rows } = await pool.query<EventRow>(sql.events, [cursor, PAGE, boundary]));
        } catch (err) {
          throw unavailable(target, "replaying events", err);
        }
        // A clear after the boundary arrives live; the messages it deleted are gone from here too.
        const events = toEvents(rows, cursor, boundary);
        yield* events;
        if (rows.length < PAGE) return;
        cursor = Number(events.at(-1)!.id);
      }
    })();
  }

  #emitOwnBefore(clearId: number): void {
    for (const message of this.#own) {
      const id = Number(message.id);
      if (id <= this.#seen || id >= clearId) continue;
      this.#seen = id;
      this.#emit({ type: "message", id: message.id, message });
    }
  }

  #dropOwn(): void {
    if (this.#own.length > 0) this.#own = this.#own.filter((m) => Number(m.id) > this.#seen);
  }

  #emit(event: StoreEvent): void {
    const id = Number(event.id);
    for (const [subscription, floor] of this.#subscriptions) {
      if (id > floor) subscription.push(event);
    }
  }

  #tick(): void {
    this.wake();
    const listener = this.#listener;
    if (listener === undefined) {
      void this.#connect();
      return;
    }
    listener.query("SELECT 1").catch((err: unknown) => this.#lost(listener, err));
  }

  async #connect(): Promise<void> {
    if (this.#connecting || this.#closed || this.#listener !== undefined) return;
    this.#connecting = true;
    const client = new pg.Client(this.#init.listenConfig);
    client.on("error", (err) => this.#lost(client, err));
    client.on("end", () => this.#lost(client, new Error("connection ended")));
    client.on("notification", (note) => {
      if (Number(note.payload) > this.#seen) this.wake();
    });
    try {
      await client.connect();
      await client.query(this.#init.sql.listen);
      if (this.#closed) {
        await client.end();
        return;
      }
      this.#listener = client;
      this.#retryMs = 50;
      // Anything committed while no one was listening is in the table.
      this.wake();
    } catch (err) {
      client.end().catch(() => undefined);
      if (!this.#closed) {
        this.#init.onWarning(
          unavailable(this.#init.target, "listening for new events", err).message,
        );
        // Retry soon, then less often; the timer tries too.
        const wait = this.#retryMs;
        this.#retryMs = Math.min(this.#retryMs * 2, this.#init.pollMs);
        setTimeout(() => void this.#connect(), wait).unref();
      }
    } finally {
      this.#connecting = false;
    }
  }

  #lost(client: pg.Client, err: unknown): void {
    if (this.#listener !== client) return;
    this.#listener = undefined;
    client.end().catch(() => undefined);
    if (this.#closed) return;
    this.#init.onWarning(unavailable(this.#init.target, "listening", err).message);
    void this.#connect();
  }
}

/**
 * The events in rows of the `events` query, after `after` (and up to `boundary`): the last clear
 * first when it came after `after`, then the messages.
 */
function toEvents(
  rows: EventRow[],
  after: number,
  boundary = Number.POSITIVE_INFINITY,
): StoreEvent[] {
  const events: StoreEvent[] = [];
  const clearId = Number(rows[0]!.last_clear_id);
  if (clearId > after && clearId <= boundary) events.push({ type: "clear", id: String(clearId) });
  for (const row of rows) {
    if (row.id === null) continue;
    const message = toMessage(row as MessageRow);
    events.push({ type: "message", id: message.id, message });
  }
  return events;
}

/** A stored message from its row. */
export function toMessage(row: MessageRow): StoredMessage {
  return Object.freeze({
    id: row.id,
    text: JSON.parse(row.text_json) as string,
    postedAt: row.posted_at,
  });
}
