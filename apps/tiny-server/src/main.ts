#!/usr/bin/env node
import { createServer } from "@wireweb/http";
import { createTinyHandler } from "./app.js";
import { parseCli, USAGE, UsageError } from "./cli.js";

function readConfig() {
  try {
    return parseCli(
      // `pnpm start -- --port 9000` hands the "--" on as an argument: skip it.
      process.argv.slice(process.argv[2] === "--" ? 3 : 2),
      process.env,
    );
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`tiny-server: ${error.message}\n\n${USAGE}`);
    process.exit(2);
  }
}

const config = readConfig();
if (config.help) {
  process.stdout.write(USAGE);
  process.exit(0);
}

const log = config.quiet ? undefined : (text: string) => console.log(text);
const handler = createTinyHandler({ log, closeAfterResponse: config.once });
const server = createServer(
  config.once
    ? // The chapter's first server answers one connection and is done: after the one
      // response, stop listening and exit once the connection has closed.
      async (request, response) => {
        await handler(request, response);
        void server.close().then(() => process.exit(0));
      }
    : handler,
  {
    // With --once, a second client that connects meanwhile is turned away, not served.
    maxConnections: config.once ? 1 : undefined,
    onConnection({ remoteAddress, remotePort }) {
      log?.(`Got connection from: ${remoteAddress}:${remotePort}`);
    },
  },
);

try {
  const { port } = await server.listen(config.port, config.host);
  const shownHost = config.host.includes(":") ? `[${config.host}]` : config.host;
  console.log(`Open your browser and connect to: http://${shownHost}:${port}`);
} catch (error) {
  const code = (error as NodeJS.ErrnoException).code;
  const reason = code === "EADDRINUSE" ? "the port is already in use (try --port)" : String(error);
  process.stderr.write(`tiny-server: cannot listen on ${config.host}:${config.port}: ${reason}\n`);
  process.exit(1);
}

for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => {
    console.log(`\n${signal}: closing (in-flight requests finish first)`);
    server.close().then(() => process.exit(0));
  });
}
