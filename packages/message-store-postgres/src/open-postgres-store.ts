import { DEFAULT_MAX_MESSAGE_BYTES, type MessageStore } from "@wireweb/message-store";
import pg from "pg";
import { describePool, redactUrl, unavailable } from "./connection.js";
import { LiveFeed } from "./live-feed.js";
import { PostgresMessageStore } from "./postgres-message-store.js";
import { migrate, SCHEMA_NAME } from "./schema.js";
import { statements } from "./sql.js";

/** Options of {@link openPostgresStore}. */
export interface PostgresStoreOptions {
  /** The schema holding the tables, created and migrated on open. Several stores (boards, test runs) can share one database under different schemas. Default `"wireweb"`. */
  schema?: string;
  /** Largest message in UTF-8 bytes; larger appends reject with WW_STORE_MESSAGE_TOO_LARGE. Default 4096. */
  maxMessageBytes?: number;
  /** Connections in the pool this store creates from a URL (ignored for a pool you pass). Default 4. */
  maxConnections?: number;
  /** How often `follow` also polls and checks its LISTEN connection, in ms: the upper bound on a live event's delay when notifications are lost. Default 1000. */
  pollMs?: number;
  /** Longest wait for a connection and for any query, in ms: an unreachable server fails an operation instead of hanging it. Default 5000. */
  timeoutMs?: number;
  /** Called with human-readable warnings (the server went away, the listener reconnects). Default: console.warn. */
  onWarning?(message: string): void;
}

const MAX_MESSAGE_BYTES_CEILING = 16 * 1024 * 1024;

/**
 * Opens the message store kept in PostgreSQL at `urlOrPool` (a `postgres://` URL, or a `pg.Pool`
 * you own): connects, creates or migrates the schema, and returns a {@link MessageStore} that
 * any number of processes may open on the same database and schema at once.
 *
 * @throws MessageStoreError WW_STORE_UNAVAILABLE when the server cannot be reached or refuses the
 *   login (the message names the URL without its password), WW_STORE_UNSUPPORTED_VERSION when
 *   the schema was migrated by a newer version
 * @throws TypeError or RangeError for a bad argument
 * @example
 * const store = await openPostgresStore("postgres://board@db.internal/board", { schema: "board" });
 * const message = await store.append("hello"); // committed once this resolves
 * await store.close();
 */
export async function openPostgresStore(
  urlOrPool: string | URL | pg.Pool,
  options: PostgresStoreOptions = {},
): Promise<MessageStore> {
  if (typeof options !== "object" || options === null) {
    throw new TypeError("options must be an object");
  }
  const schema = options.schema ?? "wireweb";
  if (typeof schema !== "string" || !SCHEMA_NAME.test(schema)) {
    throw new RangeError(
      `option schema must be a lower-case SQL identifier (a-z, 0-9, _; at most 63), got ${JSON.stringify(schema)}`,
    );
  }
  const maxMessageBytes = integer(
    "maxMessageBytes",
    options.maxMessageBytes ?? DEFAULT_MAX_MESSAGE_BYTES,
    1,
    MAX_MESSAGE_BYTES_CEILING,
  );
  const maxConnections = integer("maxConnections", options.maxConnections ?? 4, 1, 1000);
  const pollMs = integer("pollMs", options.pollMs ?? 1000, 10, 3_600_000);
  const timeoutMs = integer("timeoutMs", options.timeoutMs ?? 5000, 10, 3_600_000);
  const onWarning = options.onWarning ?? ((message: string) => console.warn(message));
  if (typeof onWarning !== "function") throw new TypeError("option onWarning must be a function");

  let pool: pg.Pool;
  let target: string;
  let listenConfig: pg.ClientConfig;
  const ownsPool = !(urlOrPool instanceof pg.Pool);
  if (urlOrPool instanceof pg.Pool) {
    pool = urlOrPool;
    target = describePool(pool);
    listenConfig = { ...(pool.options as pg.ClientConfig) };
  } else {
    const url = String(urlOrPool);
    if (!/^postgres(?:ql)?:\/\//i.test(url)) {
      throw new TypeError(
        `urlOrPool must be a postgres:// URL or a pg.Pool, got ${JSON.stringify(redactUrl(url))}`,
      );
    }
    target = redactUrl(url);
    listenConfig = {
      connectionString: url,
      connectionTimeoutMillis: timeoutMs,
      query_timeout: timeoutMs,
      application_name: "wireweb-message-store",
    };
    pool = new pg.Pool({ ...listenConfig, max: maxConnections });
  }
  // An idle pooled connection that dies (server restart) must not crash the process; the pool
  // drops it and opens a new one when needed.
  const onPoolError = (err: Error) =>
    onWarning(unavailable(target, "an idle connection", err).message);
  pool.on("error", onPoolError);
  let feed: LiveFeed | undefined;
  try {
    const client = await pool.connect().catch((err: unknown) => {
      throw unavailable(target, "connecting", err);
    });
    let durability: MessageStore["durability"];
    let lastId: number;
    try {
      await migrate(client, schema);
      const { rows } = await client.query<{
        fsync: string;
        commit: string;
        standbys: string;
        last_id: string;
      }>(
        `SELECT current_setting('fsync') AS fsync, current_setting('synchronous_commit') AS commit,
           current_setting('synchronous_standby_names') AS standbys,
           (SELECT last_id::text FROM "${schema}".board) AS last_id`,
      );
      const settings = rows[0]!;
      // synchronous_commit `off` is raised to `on` by every write (see sql.ts), so only fsync
      // off makes commits non-durable.
      durability =
        settings.fsync !== "on"
          ? "async"
          : settings.standbys !== "" && settings.commit !== "local"
            ? "replicated"
            : "fsync";
      lastId = Number(settings.last_id);
      client.release();
    } catch (err) {
      client.release(err instanceof Error ? err : true);
      throw unavailable(target, "opening the schema", err);
    }
    const sql = statements(schema, `wireweb_${schema}`.slice(0, 63));
    // Named so an operator can tell the long-lived LISTEN sessions apart in pg_stat_activity.
    listenConfig.application_name = `wireweb listen ${schema}`.slice(0, 63);
    feed = new LiveFeed({ pool, listenConfig, sql, target, lastId, pollMs, onWarning });
    await feed.start();
    return new PostgresMessageStore({
      pool,
      ownsPool,
      sql,
      feed,
      target,
      durability,
      maxMessageBytes,
    });
  } catch (err) {
    await feed?.close();
    if (ownsPool) await pool.end().catch(() => undefined);
    else pool.off("error", onPoolError);
    throw err;
  }
}

function integer(name: string, value: number, min: number, max: number): number {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new RangeError(`option ${name} must be an integer from ${min} to ${max}, got ${value}`);
  }
  return value;
}
