#!/usr/bin/env node
import { createServer } from "@wireweb/http";
import { type MessageStore, openStore } from "@wireweb/message-store";
import { createBoardHandler } from "./app.js";
import { type BoardConfig, parseCli, USAGE, UsageError } from "./cli.js";
import { hasCode } from "./errors.js";

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

function fail(message: string, exitCode: number): never {
  process.stderr.write(`message-board: ${message}\n`);
  process.exit(exitCode);
}

function readConfig(): BoardConfig {
  try {
    return parseCli(
      // `pnpm start -- --port 9000` hands the "--" on as an argument: skip it.
      process.argv.slice(process.argv[2] === "--" ? 3 : 2),
      process.env,
    );
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`message-board: ${error.message}\n\n${USAGE}`);
    process.exit(2);
  }
}

async function open(config: BoardConfig): Promise<MessageStore> {
  try {
    return await openStore(config.dataFile, {
      maxMessageBytes: config.maxMessageBytes,
      onWarning: (message) => process.stderr.write(`message-board: warning: ${message}\n`),
    });
  } catch (error) {
    const hint = hasCode(error) ? STORE_HINTS[error.code] : undefined;
    const text = error instanceof Error ? error.message : String(error);
    fail(`cannot open ${config.dataFile}: ${text}${hint ? `\n${hint}` : ""}`, 1);
  }
}

const config = readConfig();
if (config.help) {
  process.stdout.write(USAGE);
  process.exit(0);
}

const store = await open(config);
const board = createBoardHandler({
  store,
  timeZone: config.timeZone,
  pageSize: config.pageSize,
  maxMessageBytes: config.maxMessageBytes,
  log: config.quiet ? undefined : (line) => console.log(line),
});
const server = createServer(board);

try {
  const { port } = await server.listen(config.port, config.host);
  const shownHost = config.host.includes(":") ? `[${config.host}]` : config.host;
  console.log(`Open your browser and connect to: http://${shownHost}:${port}/`);
  if (!config.quiet)
    console.log(`Messages are kept in ${config.dataFile}; times shown in ${config.timeZone}.`);
} catch (error) {
  await store.close().catch(() => undefined);
  const code = hasCode(error) ? error.code : "";
  const reason = code === "EADDRINUSE" ? "the port is already in use (try --port)" : String(error);
  fail(`cannot listen on ${config.host}:${config.port}: ${reason}`, 1);
}

let stopping = false;
async function shutDown(signal: string): Promise<void> {
  if (stopping) {
    // A second Ctrl-C means "now": every acknowledged message is already on disk.
    process.exit(1);
  }
  stopping = true;
  console.log(
    `\n${signal}: closing (live streams end, in-flight requests finish, the log is closed)`,
  );
  await board.close();
  await server.close();
  await store.close();
  process.exit(0);
}
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => void shutDown(signal));
}
