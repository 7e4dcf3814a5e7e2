import { randomBytes } from "node:crypto";
import pg from "pg";

/** The server the tests use; each test works in a schema of its own and drops it. */
export const TEST_URL =
  process.env.WIREWEB_TEST_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/test";

/**
 * Whether PostgreSQL answers at {@link TEST_URL}. When it does not: with
 * WIREWEB_REQUIRE_POSTGRES=1 (set by .ci/run) importing this module throws, so the test file
 * fails; otherwise the tests skip with a loud line (a laptop without PostgreSQL).
 */
export const HAVE_POSTGRES = await probe();

async function probe(): Promise<boolean> {
  const client = new pg.Client({ connectionString: TEST_URL, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.query("SELECT 1");
    return true;
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    if (process.env.WIREWEB_REQUIRE_POSTGRES === "1") {
      throw new Error(
        `PostgreSQL is required (WIREWEB_REQUIRE_POSTGRES=1) but ${TEST_URL} is unreachable: ${reason}`,
      );
    }
    console.warn(
      `\n!!! @wireweb/message-store-postgres: SKIPPING every PostgreSQL test: ${TEST_URL} is unreachable (${reason}). Start PostgreSQL or set WIREWEB_TEST_DATABASE_URL; CI sets WIREWEB_REQUIRE_POSTGRES=1 and fails instead. !!!\n`,
    );
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** A schema name no other run uses. */
export function freshSchema(): string {
  return `t_${process.pid}_${randomBytes(5).toString("hex")}`;
}

/** Runs SQL on the test server with a connection of its own. */
export async function adminQuery<R extends pg.QueryResultRow = pg.QueryResultRow>(
  sql: string,
  values: unknown[] = [],
  url = TEST_URL,
): Promise<R[]> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5000 });
  await client.connect();
  try {
    return (await client.query<R>(sql, values)).rows;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** Drops a schema made by a test. */
export async function dropSchema(schema: string, url = TEST_URL): Promise<void> {
  await adminQuery(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`, [], url);
}
