import type { MessageStore } from "@wireweb/message-store";
import { type AdminOptions, BoardAdmin } from "./admin.js";
import type { SseStreamOptions } from "./sse.js";
import { createTimeFormatter, machineTimeZone, type TimeFormatter } from "./time-format.js";

/** Options of `createBoardHandler`. */
export interface BoardOptions extends AdminOptions {
  /** Where messages live: any {@link MessageStore} (the file log from `openStore` in the app). */
  store: MessageStore;
  /** IANA zone the page shows times in. Default: the machine's (`TZ`). */
  timeZone?: string;
  /** Messages per page. Default 100. */
  pageSize?: number;
  /** Largest message in UTF-8 bytes (413 above). Default 4096, the store's default. */
  maxMessageBytes?: number;
  /** Largest request body in bytes (413 above). Default: room for a fully %-encoded maximal message, at least 16 KiB. */
  maxBodyBytes?: number;
  /** Per-subscriber limits of the live-update streams. */
  sse?: SseStreamOptions;
  /**
   * The board is reached only through a reverse proxy: take the client's address and scheme
   * from X-Forwarded-For and X-Forwarded-Proto (access log, origin check). Default false: those
   * headers are ignored.
   */
  trustProxy?: boolean;
  /** One line per request (`127.0.0.1 GET / 200 3ms`). Default: none. */
  log?: (line: string) => void;
  /** Unexpected errors (answered with 500). Default: console.error. */
  onError?: (error: unknown) => void;
}

/** The options resolved once, shared by every route. */
export interface BoardContext {
  readonly store: MessageStore;
  readonly formatter: TimeFormatter;
  readonly pageSize: number;
  readonly maxMessageBytes: number;
  readonly maxBodyBytes: number;
  readonly sse: SseStreamOptions;
  /** Who may clear, and the login routes. */
  readonly admin: BoardAdmin;
}

/** Largest `limit` the JSON API accepts (for export). */
export const MAX_API_LIMIT = 100_000;

/**
 * Checks and fills in {@link BoardOptions}.
 *
 * @throws TypeError when `store` is missing; RangeError for an unknown time zone or a bad number.
 */
export function resolveOptions(options: BoardOptions): BoardContext {
  if (typeof options?.store?.append !== "function") {
    throw new TypeError("options.store must be a MessageStore");
  }
  const pageSize = positiveInteger("pageSize", options.pageSize ?? 100, MAX_API_LIMIT);
  const maxMessageBytes = positiveInteger("maxMessageBytes", options.maxMessageBytes ?? 4096);
  const maxBodyBytes = positiveInteger(
    "maxBodyBytes",
    options.maxBodyBytes ?? Math.max(16 * 1024, maxMessageBytes * 3 + 1024),
  );
  return {
    store: options.store,
    formatter: createTimeFormatter(options.timeZone ?? machineTimeZone()),
    pageSize,
    maxMessageBytes,
    maxBodyBytes,
    sse: options.sse ?? {},
    admin: new BoardAdmin(options),
  };
}

function positiveInteger(name: string, value: number, max = Number.MAX_SAFE_INTEGER): number {
  if (!Number.isInteger(value) || value < 1 || value > max) {
    throw new RangeError(`options.${name} must be an integer from 1 to ${max}, got ${value}`);
  }
  return value;
}
