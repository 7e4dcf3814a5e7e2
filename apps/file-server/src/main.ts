#!/usr/bin/env node
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { createServer } from "@wireweb/http";
import { createFileHandler } from "./app.js";
import { parseCli, USAGE, UsageError } from "./cli.js";

// The demo site ships next to dist/, so it is found from the built file, wherever pnpm runs it.
const DEMO_ROOT = fileURLToPath(new URL("../public/", import.meta.url));

function readConfig() {
  try {
    return parseCli(
      // `pnpm start -- --port 9000` hands the "--" on as an argument: skip it.
      process.argv.slice(process.argv[2] === "--" ? 3 : 2),
      process.env,
    );
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`file-server: ${error.message}\n\n${USAGE}`);
    process.exit(2);
  }
}

const config = readConfig();
if (config.help) {
  process.stdout.write(USAGE);
  process.exit(0);
}

const root = config.root === undefined ? DEMO_ROOT : resolve(config.root);
let handler: ReturnType<typeof createFileHandler>;
try {
  handler = createFileHandler(root, {
    listing: config.listing,
    dotfiles: config.dotfiles,
    maxAge: config.maxAge,
    immutable: config.immutable,
    precompressed: config.precompressed,
    log: config.quiet ? undefined : (line) => process.stdout.write(`${line}\n`),
  });
} catch (error) {
  process.stderr.write(`file-server: ${(error as Error).message}\n`);
  process.exit(2);
}

const server = createServer(handler);
try {
  const { port } = await server.listen(config.port, config.host);
  const shownHost = config.host.includes(":") ? `[${config.host}]` : config.host;
  console.log(`Serving ${root} at http://${shownHost}:${port}/`);
} catch (error) {
  const code = (error as NodeJS.ErrnoException).code;
  const reason = code === "EADDRINUSE" ? "the port is already in use (try --port)" : String(error);
  process.stderr.write(`file-server: cannot listen on ${config.host}:${config.port}: ${reason}\n`);
  process.exit(1);
}

for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => {
    console.log(`\n${signal}: closing (in-flight requests finish first)`);
    server.close().then(() => process.exit(0));
  });
}
