import { type MessageStore, openStore } from "@wireweb/message-store";

/** Where the board keeps its messages: a PostgreSQL database when a URL is given, else the file log. */
export interface BoardStoreConfig {
  /** The file log (used when `databaseUrl` is undefined). */
  dataFile: string;
  /** A `postgres://` URL: messages go to PostgreSQL, and any number of boards may share it. */
  databaseUrl?: string | undefined;
  /** The PostgreSQL schema holding the board's tables. */
  databaseSchema: string;
  maxMessageBytes: number;
  onWarning(message: string): void;
}

/**
 * Opens the board's store. The file log needs nothing but a folder; PostgreSQL is chosen only by
 * a URL, so `pnpm start` never needs a database.
 */
export async function openBoardStore(config: BoardStoreConfig): Promise<MessageStore> {
  const { maxMessageBytes, onWarning } = config;
  if (config.databaseUrl !== undefined) {
    // Loaded only when asked for: the file-log board does not load a database client at all.
    const { openPostgresStore } = await import("@wireweb/message-store-postgres");
    return openPostgresStore(config.databaseUrl, {
      schema: config.databaseSchema,
      maxMessageBytes,
      onWarning,
    });
  }
  return openStore(config.dataFile, { maxMessageBytes, onWarning });
}

/** Where the messages are, for the start-up line (never a password). */
export function describeBoardStore(config: BoardStoreConfig): string {
  if (config.databaseUrl === undefined) return config.dataFile;
  let url: URL;
  try {
    url = new URL(config.databaseUrl);
  } catch {
    return "PostgreSQL";
  }
  url.password = "";
  url.searchParams.delete("password");
  return `PostgreSQL ${url} (schema ${config.databaseSchema})`;
}
