import { isAbsolute, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { isValidTimeZone, machineTimeZone } from "./time-format.js";

/** Everything `main.ts` needs, from flags, then environment variables, then defaults. */
export interface BoardConfig {
  host: string;
  port: number;
  /** Absolute path of the message log. */
  dataFile: string;
  timeZone: string;
  pageSize: number;
  maxMessageBytes: number;
  quiet: boolean;
  help: boolean;
}

/** The default log: `apps/message-board/data/messages.log`, found from this file, not the cwd. */
export const DEFAULT_DATA_FILE = fileURLToPath(new URL("../data/messages.log", import.meta.url));

export const USAGE = `Usage: pnpm --filter message-board start [-- options]     (or: pnpm start)

The Tiny Message Board: messages are kept, timestamped, in a crash-safe log and survive restarts.

Options:
  --port N               port to listen on (env PORT, default 8080; 0 picks a free port)
  --host H               host or address to listen on (env HOST, default localhost)
  --data FILE            the message log (env MESSAGES_FILE,
                         default apps/message-board/data/messages.log)
  --tz ZONE              IANA time zone the page shows times in, e.g. Europe/Berlin
                         (env TZ, default the machine's)
  --page-size N          messages per page (default 100)
  --max-message-bytes N  longest message in UTF-8 bytes (default 4096)
  --quiet                print no line per request (env QUIET=1)
  --help                 show this help and exit
`;

/** A command-line mistake: the CLI prints it with the usage and exits 2. */
export class UsageError extends Error {
  override readonly name = "UsageError";
}

/**
 * Reads the command line and the environment. Relative `--data` paths are resolved against the
 * directory the user ran pnpm in (`INIT_CWD`), since pnpm runs the script in the app's folder.
 *
 * @throws UsageError for an unknown flag, a bad number, an unknown time zone.
 */
export function parseCli(argv: readonly string[], env: NodeJS.ProcessEnv): BoardConfig {
  let values: ReturnType<typeof parseFlags>["values"];
  try {
    values = parseFlags(argv).values;
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  return {
    host: values.host ?? nonEmpty(env.HOST) ?? "localhost",
    port: parseInteger("port", values.port ?? nonEmpty(env.PORT) ?? "8080", 0, 65535),
    dataFile: dataFile(values.data ?? nonEmpty(env.MESSAGES_FILE), env),
    timeZone: timeZone(values.tz, env.TZ),
    pageSize: parseInteger("page size", values["page-size"] ?? "100", 1, 100_000),
    maxMessageBytes: parseInteger(
      "max message bytes",
      values["max-message-bytes"] ?? "4096",
      1,
      16 * 1024 * 1024,
    ),
    quiet: values.quiet ?? (env.QUIET !== undefined && env.QUIET !== "" && env.QUIET !== "0"),
    help: values.help ?? false,
  };
}

function parseFlags(argv: readonly string[]) {
  return parseArgs({
    args: [...argv],
    strict: true,
    allowPositionals: false,
    options: {
      port: { type: "string" },
      host: { type: "string" },
      data: { type: "string" },
      tz: { type: "string" },
      "page-size": { type: "string" },
      "max-message-bytes": { type: "string" },
      quiet: { type: "boolean" },
      help: { type: "boolean", short: "h" },
    },
  });
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === "" ? undefined : value;
}

function parseInteger(name: string, text: string, min: number, max: number): number {
  if (!/^\d{1,9}$/.test(text) || Number(text) < min || Number(text) > max) {
    throw new UsageError(
      `invalid ${name} ${JSON.stringify(text)}: expected a whole number from ${min} to ${max}`,
    );
  }
  return Number(text);
}

function dataFile(value: string | undefined, env: NodeJS.ProcessEnv): string {
  if (value === undefined) return DEFAULT_DATA_FILE;
  if (value === "") throw new UsageError("--data needs a file name");
  if (isAbsolute(value)) return value;
  // Under `pnpm start` the cwd is the app's folder; INIT_CWD is where the user typed the command.
  const base =
    env.npm_lifecycle_event !== undefined ? (env.INIT_CWD ?? process.cwd()) : process.cwd();
  return resolve(base, value);
}

function timeZone(flag: string | undefined, envTz: string | undefined): string {
  if (flag !== undefined) {
    if (!isValidTimeZone(flag)) {
      throw new UsageError(
        `unknown time zone ${JSON.stringify(flag)}: use an IANA name such as UTC or Europe/Berlin`,
      );
    }
    return flag;
  }
  // TZ may hold a POSIX rule ("CET-1CEST") that Intl does not know; Node then falls back itself.
  if (envTz !== undefined && isValidTimeZone(envTz)) return envTz;
  return machineTimeZone();
}
