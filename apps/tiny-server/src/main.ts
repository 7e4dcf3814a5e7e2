#!/usr/bin/env node
import { createServer } from "@wireweb/http";
import { createTinyHandler } from "./app.js";
import { parseCli, USAGE, UsageError } from "./cli.js";

function readConfig() {
  try {
    return parseCli(process.argv.slice(2), process.env);
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
let connections = 0;
const server = createServer(
  createTinyHandler({
    log,
    closeAfterResponse: config.once,
  }),
  {
    onConnection({ remoteAddress, remotePort }) {
      connections += 1;
      log?.(`Got connection from: ${remoteAddress}:${remotePort}`);
      // The chapter's first server accepts one connection and is done: stop listening at once,
      // so the one connection is served and the process then exits by itself.
      if (config.once && connections === 1) void server.close().then(() => process.exit(0));
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
