import { parseArgs } from "node:util";
import type { DotfilePolicy } from "./options.js";

/** Everything the command line decides. */
export interface FileServerConfig {
  /** The folder to serve, as given (the CLI resolves it). `undefined`: the bundled demo site. */
  root: string | undefined;
  host: string;
  port: number;
  quiet: boolean;
  listing: boolean;
  dotfiles: DotfilePolicy;
  /** Seconds for `Cache-Control: max-age`; `undefined` sends `no-cache`. */
  maxAge: number | undefined;
  immutable: boolean;
  precompressed: boolean;
  help: boolean;
}

/** What `--help` prints, and what follows a usage error. */
export const USAGE = `Usage: pnpm --filter file-server start [-- options]

Serves the files of a folder over HTTP/1.1 (GET and HEAD), safely: nothing outside the folder
is ever read. With no --root it serves its own small demo site.

Options:
  --root DIR          folder to serve (env ROOT; default: the bundled demo site)
  --port N            port to listen on (env PORT, default 8080; 0 picks a free port)
  --host H            host or address to listen on (env HOST, default localhost)
  --listing           list a directory's files when it has no index.html
  --dotfiles POLICY   ignore (404, the default), deny (403) or allow names starting with "."
                      (/.well-known/ is always served)
  --max-age SECONDS   send Cache-Control: public, max-age=SECONDS (default: no-cache, so
                      every use revalidates and edits show at once)
  --immutable         add "immutable" to Cache-Control (for fingerprinted file names)
  --no-precompressed  never serve .br/.gz siblings
  --quiet             no access log (env QUIET=1)
  --help              show this help and exit
`;

/** A command-line mistake: the CLI prints it with the usage and exits 2. */
export class UsageError extends Error {
  override readonly name = "UsageError";
}

/** Reads flags first, then environment variables, then defaults. */
export function parseCli(argv: readonly string[], env: NodeJS.ProcessEnv): FileServerConfig {
  let values: ReturnType<typeof parseFlags>["values"];
  try {
    values = parseFlags(argv).values;
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const root = values.root ?? nonEmpty(env.ROOT);
  if (root === "") throw new UsageError("--root needs a folder");
  const dotfiles = values.dotfiles ?? "ignore";
  if (dotfiles !== "ignore" && dotfiles !== "deny" && dotfiles !== "allow") {
    throw new UsageError(
      `invalid --dotfiles ${JSON.stringify(dotfiles)}: expected ignore, deny or allow`,
    );
  }
  const immutable = values.immutable ?? false;
  const maxAge = values["max-age"] === undefined ? undefined : parseMaxAge(values["max-age"]);
  if (immutable && maxAge === undefined) {
    throw new UsageError("--immutable needs --max-age (immutable only means something with it)");
  }
  return {
    root,
    host: values.host ?? nonEmpty(env.HOST) ?? "localhost",
    port: parsePort(values.port ?? nonEmpty(env.PORT) ?? "8080"),
    quiet: values.quiet ?? (env.QUIET !== undefined && env.QUIET !== "" && env.QUIET !== "0"),
    listing: values.listing ?? false,
    dotfiles,
    maxAge,
    immutable,
    precompressed: !(values["no-precompressed"] ?? false),
    help: values.help ?? false,
  };
}

function parseFlags(argv: readonly string[]) {
  return parseArgs({
    args: [...argv],
    strict: true,
    allowPositionals: false,
    options: {
      root: { type: "string" },
      port: { type: "string" },
      host: { type: "string" },
      quiet: { type: "boolean" },
      listing: { type: "boolean" },
      dotfiles: { type: "string" },
      "max-age": { type: "string" },
      immutable: { type: "boolean" },
      "no-precompressed": { type: "boolean" },
      help: { type: "boolean", short: "h" },
    },
  });
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === "" ? undefined : value;
}

function parsePort(text: string): number {
  if (!/^\d{1,5}$/.test(text) || Number(text) > 65535) {
    throw new UsageError(
      `invalid port ${JSON.stringify(text)}: expected a whole number from 0 to 65535`,
    );
  }
  return Number(text);
}

function parseMaxAge(text: string): number {
  // RFC 9111 §1.2.2: delta-seconds; caches treat anything past 2^31 as 2^31.
  if (!/^\d{1,10}$/.test(text) || Number(text) > 2147483648) {
    throw new UsageError(
      `invalid --max-age ${JSON.stringify(text)}: expected whole seconds from 0 to 2147483648`,
    );
  }
  return Number(text);
}
