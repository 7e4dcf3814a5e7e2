import { MessageStoreError } from "@wireweb/message-store";
import type pg from "pg";

/**
 * The tables, one migration per version, applied in order inside one transaction. Never edit a
 * migration that has shipped: add the next one.
 *
 * - `board` holds one row: the last id handed out and the id of the last clear. Every append and
 *   clear updates it first, so its row lock serializes them across every instance: ids are
 *   handed out in commit order, without gaps (a failed batch rolls its ids back), and a reader
 *   that sees id n also sees every id below it.
 * - `messages.text_json` is the text as a JSON string: PostgreSQL's `text` cannot hold NUL,
 *   and JSON keeps lone surrogates, so every JavaScript string comes back exactly.
 */
const MIGRATIONS: ReadonlyArray<(schema: string) => string> = [
  (s) => `
    CREATE TABLE ${s}.board (
      only_row boolean PRIMARY KEY DEFAULT true CHECK (only_row),
      last_id bigint NOT NULL,
      last_clear_id bigint NOT NULL
    );
    INSERT INTO ${s}.board (last_id, last_clear_id) VALUES (0, 0);
    CREATE TABLE ${s}.messages (
      id bigint PRIMARY KEY,
      text_json text NOT NULL,
      posted_at timestamptz NOT NULL
    );`,
];

/** The schema version this code writes. */
export const SCHEMA_VERSION = MIGRATIONS.length;

/** `"name"`: an identifier already checked against {@link SCHEMA_NAME}. */
export function quoteIdentifier(name: string): string {
  return `"${name}"`;
}

/** Schema names accepted: lower-case SQL identifiers, so they need no case folding rules. */
export const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

/**
 * Creates the schema and its tables, or migrates them to {@link SCHEMA_VERSION}. A transaction-
 * level advisory lock keyed on the schema name makes concurrent openers (several board processes
 * starting at once) take turns.
 *
 * @throws MessageStoreError WW_STORE_UNSUPPORTED_VERSION when the schema is newer than this code
 */
export async function migrate(client: pg.ClientBase, schema: string): Promise<void> {
  const s = quoteIdentifier(schema);
  await client.query("BEGIN");
  try {
    await client.query(
      "SELECT pg_advisory_xact_lock(hashtext('wireweb-message-store'), hashtext($1))",
      [schema],
    );
    await client.query(`CREATE SCHEMA IF NOT EXISTS ${s}`);
    await client.query(
      `CREATE TABLE IF NOT EXISTS ${s}.migrations (version int PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())`,
    );
    const { rows } = await client.query<{ version: number }>(
      `SELECT coalesce(max(version), 0)::int AS version FROM ${s}.migrations`,
    );
    const current = rows[0]!.version;
    if (current > SCHEMA_VERSION) {
      throw new MessageStoreError(
        "WW_STORE_UNSUPPORTED_VERSION",
        `schema ${schema} is at version ${current}; this @wireweb/message-store-postgres knows up to ${SCHEMA_VERSION}`,
      );
    }
    for (let version = current + 1; version <= SCHEMA_VERSION; version++) {
      await client.query(MIGRATIONS[version - 1]!(s));
      await client.query(`INSERT INTO ${s}.migrations (version) VALUES ($1)`, [version]);
    }
    await client.query("COMMIT");
  } catch (err) {
    await client.query("ROLLBACK").catch(() => undefined);
    throw err;
  }
}
