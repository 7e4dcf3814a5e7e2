import { type AppConfig, defineApp, parseConfig, UsageError } from "@wireweb/app-shell";
import { createTinyHandler } from "./app.js";

/**
 * The tiny server as the app shell runs it: its one flag of its own (`--once`) and its handler.
 * The shell adds --port/--host, --quiet, TLS, --workers and --help.
 */
export const TINY_SERVER = defineApp({
  name: "tiny-server",
  summary:
    "The chapter's tiny server: prints every connection and raw request, and answers every request with a page that says hello and shows the request it received.",
  flags: {
    once: {
      type: "boolean",
      help: "serve exactly one connection, answer one request, then exit (the chapter's first example)",
    },
  },
  check(config) {
    if (config.once && config.workers > 1) {
      throw new UsageError(
        "WW_SHELL_REFUSED",
        "--once serves one connection in one process: it cannot run with --workers",
      );
    }
  },
  start(config, shell) {
    const log = config.quiet ? undefined : (text: string) => console.log(text);
    const handler = createTinyHandler({ log, closeAfterResponse: config.once });
    return {
      handler: config.once
        ? // The chapter's first server answers one connection and is done: after the one
          // response, stop listening and exit once the connection has closed.
          async (request, response) => {
            await handler(request, response);
            shell.stop();
          }
        : handler,
      server: {
        // With --once, a second client that connects meanwhile is turned away, not served.
        maxConnections: config.once ? 1 : undefined,
        onConnection({ remoteAddress, remotePort }) {
          log?.(`Got connection from: ${remoteAddress}:${remotePort}`);
        },
      },
    };
  },
});

/** The tiny server's configuration from a command line and an environment (for tests). */
export function parseCli(argv: readonly string[], env: NodeJS.ProcessEnv): TinyServerConfig {
  return parseConfig(TINY_SERVER, argv, env);
}

export type TinyServerConfig = AppConfig<typeof TINY_SERVER.flags>;
