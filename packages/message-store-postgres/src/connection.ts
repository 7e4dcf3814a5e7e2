import { MessageStoreError } from "@wireweb/message-store";
import type pg from "pg";

/**
 * A connection string as it may appear in messages and logs: the password (in the userinfo or a
 * `password=` parameter) is dropped. A string that does not parse as a URL is not echoed at all.
 */
export function redactUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return "(a connection string that is not a URL)";
  }
  parsed.password = "";
  parsed.searchParams.delete("password");
  return parsed.toString();
}

/** The server a caller's pool points at, in URL form and without the password. */
export function describePool(pool: pg.Pool): string {
  const options = pool.options as pg.PoolConfig;
  if (typeof options.connectionString === "string") return redactUrl(options.connectionString);
  const user = options.user ?? process.env.PGUSER ?? "";
  const host = options.host ?? process.env.PGHOST ?? "localhost";
  const port = options.port ?? process.env.PGPORT ?? 5432;
  const database = options.database ?? process.env.PGDATABASE ?? "";
  return `postgres://${user === "" ? "" : `${encodeURIComponent(user)}@`}${host}:${port}/${database}`;
}

/**
 * The error an operation rejects with when PostgreSQL fails it: `WW_STORE_UNAVAILABLE` (the
 * board answers 503), naming the server without its password and the SQLSTATE when there is one.
 */
export function unavailable(target: string, action: string, err: unknown): MessageStoreError {
  if (err instanceof MessageStoreError) return err;
  const reason = err instanceof Error ? err.message || err.name : String(err);
  const state = (err as { code?: unknown })?.code;
  const detail = typeof state === "string" && state !== "" ? ` [${state}]` : "";
  return new MessageStoreError(
    "WW_STORE_UNAVAILABLE",
    `message store on PostgreSQL ${target}: ${action} failed: ${reason}${detail}`,
    { cause: err },
  );
}
