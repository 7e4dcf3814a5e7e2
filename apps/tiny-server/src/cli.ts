import { parseArgs } from "node:util";

export interface TinyServerConfig {
  host: string;
  port: number;
  once: boolean;
  quiet: boolean;
  help: boolean;
}

export const USAGE = `Usage: pnpm --filter tiny-server start [-- options]

The chapter's tiny server: prints every connection and raw request, and answers every request
with a page that says hello and shows the request it received.

Options:
  --port N     port to listen on (env PORT, default 8080; 0 picks a free port)
  --host H     host or address to listen on (env HOST, default localhost)
  --once       serve exactly one connection, answer one request, then exit (the chapter's first example)
  --quiet      print nothing per connection or request (env QUIET=1)
  --help       show this help and exit
`;

/** A command-line mistake: the CLI prints it with the usage and exits 2. */
export class UsageError extends Error {
  override readonly name = "UsageError";
}

/** Reads flags first, then environment variables, then defaults. */
export function parseCli(argv: readonly string[], env: NodeJS.ProcessEnv): TinyServerConfig {
  let values: ReturnType<typeof parseFlags>["values"];
  try {
    values = parseFlags(argv).values;
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  return {
    host: values.host ?? env.HOST ?? "localhost",
    port: parsePort(values.port ?? env.PORT ?? "8080"),
    once: values.once ?? false,
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
      once: { type: "boolean" },
      quiet: { type: "boolean" },
      help: { type: "boolean", short: "h" },
    },
  });
}

function parsePort(text: string): number {
  if (!/^\d{1,5}$/.test(text) || Number(text) > 65535) {
    throw new UsageError(
      `invalid port ${JSON.stringify(text)}: expected a whole number from 0 to 65535`,
    );
  }
  return Number(text);
}
