import { fileURLToPath } from "node:url";
import { type AppConfig, defineApp, parseConfig, UsageError } from "@wireweb/app-shell";
import type { MessageStore } from "@wireweb/message-store";
import { describeClearAccess } from "./admin.js";
import { readAdminPassword, SHORT_PASSWORD } from "./admin-password.js";
import { createBoardHandler } from "./app.js";
import { type BoardStoreConfig, describeBoardStore, openBoardStore } from "./board-store.js";
import { hasCode } from "./errors.js";
import { listensOnLoopbackOnly } from "./loopback.js";
import { canonical, isValidTimeZone, timeZoneFromEnv, type ZoneChoice } from "./time-format.js";

/** The default log: `apps/message-board/data/messages.log`, found from this file, not the cwd. */
export const DEFAULT_DATA_FILE = fileURLToPath(new URL("../data/messages.log", import.meta.url));

/** What to tell a person whose data file cannot be opened, by the store's error code. */
const STORE_HINTS: Record<string, string> = {
  WW_STORE_CORRUPT:
    "The board did not start, so nothing more was written. Restore the file from a backup, or move it aside (the board then starts empty), or start with --data OTHER_FILE.",
  WW_STORE_UNSUPPORTED_VERSION:
    "The file was written by another version of the message store; use that version, or --data OTHER_FILE.",
  WW_STORE_LOCKED:
    "Another message board is using this file. Stop it first, or start with --data OTHER_FILE.",
  WW_STORE_NOT_A_FILE:
    "Give --data the path of a file (it is created if missing), e.g. --data ./messages.log.",
  WW_STORE_IO: "Check that the folder exists and is writable, or start with --data OTHER_FILE.",
  WW_STORE_UNAVAILABLE:
    "Check that PostgreSQL runs and that the URL, user and password are right (the password is not shown).",
};

/** A hint for the store's error: by its code, or for a full disk by the errno beneath it. */
function storeHint(error: unknown): string | undefined {
  if (!hasCode(error)) return undefined;
  const errno = (error.cause as { code?: unknown } | undefined)?.code;
  if (errno === "ENOSPC" || errno === "EDQUOT") {
    return "The disk is full: free some space, or start with --data OTHER_FILE on another disk.";
  }
  return STORE_HINTS[error.code];
}

/**
 * The message board as the app shell runs it: its own flags, the store, and its handler. The
 * shell adds --port/--host, --quiet, TLS (with Strict-Transport-Security), --workers and --help.
 */
export const MESSAGE_BOARD = defineApp({
  name: "message-board",
  usage: "pnpm --filter message-board start [-- options]     (or: pnpm start)",
  summary:
    "The Tiny Message Board: messages are kept, timestamped, in a crash-safe log (or in PostgreSQL) and survive restarts.",
  flags: {
    data: {
      type: "path",
      env: "MESSAGES_FILE",
      value: "FILE",
      default: DEFAULT_DATA_FILE,
      defaultText: "apps/message-board/data/messages.log",
      help: "the message log; a relative path is taken from where you typed the command",
    },
    tz: {
      type: "custom",
      value: "ZONE",
      label: "time zone",
      defaultText: "TZ when it names an IANA zone, else the machine's",
      help: "IANA time zone the page shows times in, e.g. Europe/Berlin",
      // The canonical spelling, so the console and the page name the zone alike: europe/berlin
      // is shown as Europe/Berlin, and EST as the zone ICU says it is (America/Panama).
      parse(text: string): string {
        if (!isValidTimeZone(text))
          throw new Error("use an IANA name such as UTC or Europe/Berlin");
        return canonical(text);
      },
    },
    database: {
      type: "custom",
      env: "DATABASE_URL",
      value: "URL",
      label: "database URL",
      defaultText: "none: the file log",
      help: "keep messages in PostgreSQL (postgres://user:password@host/db) instead of the file log; any number of boards may share it",
      parse(text: string): string {
        if (!/^postgres(?:ql)?:\/\/./i.test(text)) {
          throw new Error("expected a postgres:// URL, e.g. postgres://board@127.0.0.1/board");
        }
        return text;
      },
    },
    "database-schema": {
      type: "custom",
      env: "DATABASE_SCHEMA",
      value: "NAME",
      label: "database schema",
      default: "message_board",
      help: "PostgreSQL schema of the board's tables (created on first start)",
      parse(text: string): string {
        if (!/^[a-z_][a-z0-9_]{0,62}$/.test(text)) {
          throw new Error("use a lower-case SQL name: a-z, 0-9 and _, at most 63");
        }
        return text;
      },
    },
    "trust-proxy": {
      type: "boolean",
      env: "TRUST_PROXY",
      help: "take the client's address and scheme from X-Forwarded-For / X-Forwarded-Proto (only behind a reverse proxy such as nginx)",
    },
    "admin-password-file": {
      type: "path",
      value: "FILE",
      defaultText: "ADMIN_PASSWORD, else none",
      help: "only the administrator, who logs in at /login with the password in FILE, may clear the board (without one: anyone on loopback, nobody beyond)",
    },
    "page-size": { type: "integer", min: 1, max: 100_000, default: 100, help: "messages per page" },
    "max-message-bytes": {
      type: "integer",
      min: 1,
      max: 16 * 1024 * 1024,
      default: 4096,
      help: "longest message in UTF-8 bytes",
    },
  },
  hsts: true,
  check(config) {
    if (config.workers > 1 && config.database === undefined) {
      throw new UsageError(
        "WW_SHELL_REFUSED",
        `--workers ${config.workers}: the file log has one writer (one process holds its lock), so the board runs as one process; with --database URL (PostgreSQL) any number of processes may run`,
      );
    }
  },
  banner(config, url) {
    const open = `Open your browser and connect to: ${url}`;
    if (config.quiet) return open;
    return `${open}\nMessages are kept in ${describeBoardStore(storeConfig(config))}; times shown in ${timeZoneOf(config.tz).timeZone}.`;
  },
  async start(config, shell) {
    let adminPassword: string | undefined;
    try {
      adminPassword = await readAdminPassword(config.adminPasswordFile, process.env);
    } catch (error) {
      return shell.fail((error as Error).message, 2);
    }
    const zone = timeZoneOf(config.tz);
    if (zone.warning !== undefined) {
      process.stderr.write(`message-board: warning: ${zone.warning}\n`);
    }
    let store: MessageStore;
    try {
      store = await openBoardStore(storeConfig(config));
    } catch (error) {
      const hint = storeHint(error);
      const text = error instanceof Error ? error.message : String(error);
      const where = describeBoardStore(storeConfig(config));
      return shell.fail(`cannot open ${where}: ${text}${hint ? `\n${hint}` : ""}`, 1);
    }
    const board = createBoardHandler({
      store,
      timeZone: zone.timeZone,
      pageSize: config.pageSize,
      maxMessageBytes: config.maxMessageBytes,
      trustProxy: config.trustProxy,
      log: config.quiet ? undefined : (line) => console.log(line),
      adminPassword,
      loopbackOnly: await listensOnLoopbackOnly(config.host),
    });
    const access = describeClearAccess(board.clearAccess, config.host);
    if (access.warning) process.stderr.write(`message-board: warning: ${access.line}\n`);
    else if (!config.quiet) shell.say(access.line);
    if (adminPassword !== undefined && adminPassword.length < SHORT_PASSWORD) {
      process.stderr.write(
        `message-board: warning: the admin password has ${adminPassword.length} characters; anyone who can reach /login may guess a short one (use ${SHORT_PASSWORD} or more)\n`,
      );
    }
    return {
      handler: board,
      liveStreams: () => board.liveStreams,
      drain: () => board.close(),
      // Every acknowledged message is already on disk (or committed): closing only releases the
      // file's lock, or the database connections.
      close: () => store.close(),
    };
  },
});

export type BoardConfig = AppConfig<typeof MESSAGE_BOARD.flags>;

/** The store part of the configuration (typed by shape: the flag table's type depends on it). */
function storeConfig(config: {
  data: string;
  database: string | undefined;
  databaseSchema: string;
  maxMessageBytes: number;
}): BoardStoreConfig {
  return {
    dataFile: config.data,
    databaseUrl: config.database,
    databaseSchema: config.databaseSchema,
    maxMessageBytes: config.maxMessageBytes,
    onWarning: (message: string) => process.stderr.write(`message-board: warning: ${message}\n`),
  };
}

/**
 * `--tz`, else the zone `TZ` names (`:/etc/localtime` followed to its zoneinfo file), else the
 * machine's. A `TZ` that names no zone `Intl` knows (a misspelling, a POSIX rule, an empty
 * `TZ=`) gives UTC and a warning to print: never "undefined", never a crash.
 */
export function timeZoneOf(
  tz: string | undefined,
  env: NodeJS.ProcessEnv = process.env,
): ZoneChoice {
  if (tz !== undefined) return { timeZone: tz };
  return timeZoneFromEnv(env.TZ);
}

/** The board's configuration from a command line and an environment (for tests). */
export function parseCli(argv: readonly string[], env: NodeJS.ProcessEnv): BoardConfig {
  return parseConfig(MESSAGE_BOARD, argv, env);
}
