import { fileURLToPath } from "node:url";
import { type AppConfig, defineApp, parseConfig, UsageError } from "@wireweb/app-shell";
import { createFileHandler } from "./app.js";

// The demo site ships next to dist/, so it is found from the built file, wherever pnpm runs it.
const DEMO_ROOT = fileURLToPath(new URL("../public/", import.meta.url));

/**
 * The file server as the app shell runs it: its own flags and its handler. The shell adds
 * --port/--host, --quiet, TLS (with Strict-Transport-Security), --workers and --help.
 */
export const FILE_SERVER = defineApp({
  name: "file-server",
  summary:
    "Serves the files of a folder over HTTP/1.1 (GET and HEAD), safely: nothing outside the folder is ever read. With no --root it serves its own small demo site.",
  flags: {
    root: {
      type: "path",
      env: "ROOT",
      value: "DIR",
      defaultText: "the bundled demo site",
      help: "folder to serve; a relative path is taken from where you typed the command",
    },
    listing: { type: "boolean", help: "list a directory's files when it has no index.html" },
    dotfiles: {
      type: "choice",
      choices: ["ignore", "deny", "allow"],
      default: "ignore",
      value: "POLICY",
      help: 'names starting with ".": ignore (404), deny (403) or allow (/.well-known/ is always served)',
    },
    "max-age": {
      type: "integer",
      min: 0,
      // RFC 9111 §1.2.2: delta-seconds; caches treat anything past 2^31 as 2^31.
      max: 2147483648,
      value: "SECONDS",
      defaultText: "no-cache, so every use revalidates and edits show at once",
      help: "send Cache-Control: public, max-age=SECONDS",
    },
    immutable: {
      type: "boolean",
      help: 'add "immutable" to Cache-Control (for fingerprinted file names; needs --max-age)',
    },
    "no-precompressed": { type: "boolean", help: "never serve .br/.gz siblings" },
    dev: {
      type: "boolean",
      env: "DEV",
      help: "check the disk on every request, so an edit shows at the next reload (default: small files come from memory, checked again within half a second)",
    },
  },
  hsts: true,
  check(config) {
    if (config.immutable && config.maxAge === undefined) {
      throw new UsageError(
        "WW_SHELL_REFUSED",
        "--immutable needs --max-age (immutable only means something with it)",
      );
    }
  },
  banner: (config, url) => `Serving ${config.root ?? DEMO_ROOT} at ${url}`,
  start(config, shell) {
    try {
      const handler = createFileHandler(config.root ?? DEMO_ROOT, {
        listing: config.listing,
        dotfiles: config.dotfiles,
        maxAge: config.maxAge,
        immutable: config.immutable,
        precompressed: !config.noPrecompressed,
        revalidateMs: config.dev ? 0 : undefined,
        log: config.quiet ? undefined : (line) => process.stdout.write(`${line}\n`),
        // Why a file is refused (403: exists but unreadable) goes to stderr, --quiet or not.
        onError: (error) => process.stderr.write(`file-server: ${error.message}\n`),
      });
      return { handler };
    } catch (error) {
      return shell.fail((error as Error).message, 2);
    }
  },
});

/** The file server's configuration from a command line and an environment (for tests). */
export function parseCli(argv: readonly string[], env: NodeJS.ProcessEnv): FileServerConfig {
  return parseConfig(FILE_SERVER, argv, env);
}

export type FileServerConfig = AppConfig<typeof FILE_SERVER.flags>;
