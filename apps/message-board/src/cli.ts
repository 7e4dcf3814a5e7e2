import { fileURLToPath } from "node:url";
import { type AppConfig, defineApp, parseConfig, UsageError } from "@wireweb/app-shell";
import { openStore } from "@wireweb/message-store";
import { createBoardHandler } from "./app.js";
import { hasCode } from "./errors.js";
import { isValidTimeZone, machineTimeZone } from "./time-format.js";

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
  WW_STORE_IO: "Check that the folder exists and is writable, or start with --data OTHER_FILE.",
};

/**
 * The message board as the app shell runs it: its own flags, the store, and its handler. The
 * shell adds --port/--host, --quiet, TLS (with Strict-Transport-Security), --workers and --help.
 */
export const MESSAGE_BOARD = defineApp({
  name: "message-board",
  usage: "pnpm --filter message-board start [-- options]     (or: pnpm start)",
  summary:
    "The Tiny Message Board: messages are kept, timestamped, in a crash-safe log and survive restarts.",
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
      parse(text: string): string {
        if (!isValidTimeZone(text))
          throw new Error("use an IANA name such as UTC or Europe/Berlin");
        return text;
      },
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
    if (config.workers > 1) {
      throw new UsageError(
        "WW_SHELL_REFUSED",
        `--workers ${config.workers}: the file log has one writer (one process holds its lock), so the board runs as one process`,
      );
    }
  },
  banner(config, url) {
    const open = `Open your browser and connect to: ${url}`;
    if (config.quiet) return open;
    return `${open}\nMessages are kept in ${config.data}; times shown in ${timeZoneOf(config.tz)}.`;
  },
  async start(config, shell) {
    let store: Awaited<ReturnType<typeof openStore>>;
    try {
      store = await openStore(config.data, {
        maxMessageBytes: config.maxMessageBytes,
        onWarning: (message) => process.stderr.write(`message-board: warning: ${message}\n`),
      });
    } catch (error) {
      const hint = hasCode(error) ? STORE_HINTS[error.code] : undefined;
      const text = error instanceof Error ? error.message : String(error);
      return shell.fail(`cannot open ${config.data}: ${text}${hint ? `\n${hint}` : ""}`, 1);
    }
    const board = createBoardHandler({
      store,
      timeZone: timeZoneOf(config.tz),
      pageSize: config.pageSize,
      maxMessageBytes: config.maxMessageBytes,
      log: config.quiet ? undefined : (line) => console.log(line),
    });
    return {
      handler: board,
      liveStreams: () => board.liveStreams,
      drain: () => board.close(),
      // Every acknowledged message is already on disk: closing only releases the file's lock.
      close: () => store.close(),
    };
  },
});

export type BoardConfig = AppConfig<typeof MESSAGE_BOARD.flags>;

/** `--tz`, else `TZ` when it is an IANA name (it may hold a POSIX rule that Intl does not know), else the machine's. */
export function timeZoneOf(tz: string | undefined, env: NodeJS.ProcessEnv = process.env): string {
  if (tz !== undefined) return tz;
  if (env.TZ !== undefined && isValidTimeZone(env.TZ)) return env.TZ;
  return machineTimeZone();
}

/** The board's configuration from a command line and an environment (for tests). */
export function parseCli(argv: readonly string[], env: NodeJS.ProcessEnv): BoardConfig {
  return parseConfig(MESSAGE_BOARD, argv, env);
}
