/**
 * Every statement the store runs, built once per schema. Appends and clears update the `board`
 * row first: its row lock, held to COMMIT, orders them across all instances (see schema.ts).
 */
export function statements(schema: string, channel: string) {
  const s = `"${schema}"`;
  const postedAt = `to_char(posted_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
  const columns = `id::text AS id, text_json, ${postedAt} AS posted_at`;
  // Acknowledged means flushed to disk: a server (or role) default of `off` is raised to `on` for
  // this transaction; stronger settings (remote_apply, …) are kept.
  const durable = `set_config('synchronous_commit', CASE current_setting('synchronous_commit') WHEN 'off' THEN 'on' ELSE current_setting('synchronous_commit') END, true)`;
  return {
    /**
     * One batch of appends as one statement (one round trip, committed before the reply): take
     * the next ids under the row lock, insert the texts ($1, JSON strings), and NOTIFY every
     * instance with the batch's last id. The time is read after the lock, so it rises with ids.
     */
    append: `
      WITH next AS (
        UPDATE ${s}.board SET last_id = last_id + cardinality($1::text[])
        RETURNING last_id - cardinality($1::text[]) AS before_id, last_id,
          to_char(clock_timestamp() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS posted_at,
          ${durable} AS commit_mode
      ), saved AS (
        INSERT INTO ${s}.messages (id, text_json, posted_at)
        SELECT next.before_id + t.n, t.text_json, next.posted_at::timestamptz
        FROM next, unnest($1::text[]) WITH ORDINALITY AS t(text_json, n)
      )
      SELECT before_id::text AS before_id, posted_at, pg_notify('${channel}', last_id::text)
      FROM next`,
    /**
     * A clear, as one transaction in one round trip. Separate statements on purpose: the DELETE
     * takes its snapshot after the UPDATE got the row lock, so it sees (and deletes) every
     * message committed before this clear; a single statement's snapshot could be older.
     */
    clear: `
      BEGIN;
      SELECT ${durable};
      UPDATE ${s}.board SET last_id = last_id + 1, last_clear_id = last_id + 1 RETURNING last_id::text AS id;
      DELETE FROM ${s}.messages;
      SELECT pg_notify('${channel}', last_id::text) FROM ${s}.board;
      COMMIT;`,
    /** The newest $1 messages (a page plus one, to know whether there are more). */
    // `m.id`, not `id`: ORDER BY would take the text output column and sort "10" before "9".
    latest: `SELECT ${columns} FROM ${s}.messages m ORDER BY m.id DESC LIMIT $1`,
    before: `SELECT ${columns} FROM ${s}.messages m WHERE m.id < $2::int8 ORDER BY m.id DESC LIMIT $1`,
    after: `SELECT ${columns} FROM ${s}.messages m WHERE m.id > $2::int8 ORDER BY m.id LIMIT $1`,
    /**
     * The board row and up to $2 messages in ($1, $3], in one snapshot: a consistent view of
     * "the last clear" and "the messages since". $3 NULL means no upper bound.
     */
    events: `
      SELECT b.last_id::text AS last_id, b.last_clear_id::text AS last_clear_id,
        m.id::text AS id, m.text_json, ${postedAt.replace("posted_at", "m.posted_at")} AS posted_at
      FROM ${s}.board b LEFT JOIN LATERAL (
        SELECT id, text_json, posted_at FROM ${s}.messages
        WHERE id > $1::int8 AND ($3::int8 IS NULL OR id <= $3::int8) ORDER BY id LIMIT $2
      ) m ON true
      ORDER BY m.id`,
    /** The last id handed out. */
    lastId: `SELECT last_id::text AS last_id FROM ${s}.board`,
    listen: `LISTEN "${channel}"`,
  };
}

export type Statements = ReturnType<typeof statements>;

/** A row of `events`; the message columns are null when no message matched. */
export interface EventRow {
  last_id: string;
  last_clear_id: string;
  id: string | null;
  text_json: string | null;
  posted_at: string | null;
}

/** A message row. */
export interface MessageRow {
  id: string;
  text_json: string;
  posted_at: string;
}
