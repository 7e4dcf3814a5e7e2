import type { Handler, ServerOptions } from "@wireweb/http";
import { type CommonConfig, LISTEN_FLAGS, SERVE_FLAGS } from "./common-flags.js";
import { UsageError } from "./errors.js";
import { type FlagTable, type FlagValues, parseFlags } from "./flags.js";
import { formatUsage, formatUsageHint } from "./help.js";

/** Everything an app's `start` gets: the shell's flags and the app's own, by camel-cased name. */
export type AppConfig<F extends FlagTable> = CommonConfig & FlagValues<F>;

/** What the shell lends an app while it starts and serves. */
export interface ShellContext {
  /** Prints one line on stdout. */
  say(line: string): void;
  /** Prints `<app>: <message>` on stderr, releases what the app holds, and exits (default code 1). */
  fail(message: string, exitCode?: number): never;
  /** Stops gracefully, as Ctrl-C does but without a word, and exits 0 (tiny-server's `--once`). */
  stop(): void;
  /** Inside `--workers N`: this process's worker id (1, 2, … and on for replacements). */
  readonly worker: number | undefined;
}

/** What an app's `start` returns: its handler and what a graceful shutdown needs. */
export interface AppInstance {
  handler: Handler;
  /** Extra `createServer` options (limits, `onConnection`, `maxConnections`); TLS is the shell's. */
  server?: Omit<ServerOptions, "tls">;
  /** Long-lived responses open now (live streams) that `drain` ends: not waited for. */
  liveStreams?(): number;
  /** Called first on shutdown: end long-lived responses, refuse new ones. */
  drain?(): Promise<void>;
  /** Called last, after the last request: release what the app holds (close the store). */
  close?(): Promise<void>;
}

/** An app, declared once: its name, its flags, and how it starts. */
export interface AppSpec<F extends FlagTable> {
  /** The app's name, as in `pnpm --filter <name> start`; every message starts with it. */
  name: string;
  /** The paragraph `--help` prints under the usage line. */
  summary: string;
  /** The usage line. Default `pnpm --filter <name> start [-- options]`. */
  usage?: string;
  /** The app's own flags (a new flag is one row here). The shell adds --port, --host, TLS, --workers… */
  flags: F;
  /** Send `Strict-Transport-Security` on every response when serving TLS. */
  hsts?: boolean;
  /**
   * Refuses a combination of flags before anything starts, in the process that reads them
   * (with `--workers`, before any worker is forked): throw `UsageError("WW_SHELL_REFUSED", …)`.
   */
  check?(config: AppConfig<F>): void;
  /** The line printed once the server listens. Default `Open your browser and connect to: <url>`. */
  banner?(config: AppConfig<F>, url: string): string;
  /** Builds the app in each serving process (each worker with `--workers`). */
  start(config: AppConfig<F>, shell: ShellContext): AppInstance | Promise<AppInstance>;
}

/**
 * Declares an app (checks its flag names do not clash with the shell's).
 *
 * @throws TypeError when an app flag has the name of a shell flag.
 */
export function defineApp<const F extends FlagTable>(spec: AppSpec<F>): AppSpec<F> {
  for (const name of Object.keys(spec.flags)) {
    if (Object.hasOwn(LISTEN_FLAGS, name) || Object.hasOwn(SERVE_FLAGS, name)) {
      throw new TypeError(
        `--${name} is one of the shell's own flags; ${spec.name} cannot define it`,
      );
    }
  }
  return spec;
}

/** Every flag of an app, in `--help` order: where to listen, the app's own, how to serve. */
export function allFlags(spec: AppSpec<FlagTable>): FlagTable {
  return { ...LISTEN_FLAGS, ...spec.flags, ...SERVE_FLAGS };
}

/** The usage line of an app. */
function usageLine(spec: AppSpec<FlagTable>): string {
  return spec.usage ?? `pnpm --filter ${spec.name} start [-- options]`;
}

/** What follows a usage mistake: the usage line and a pointer to `--help`. */
export function usageHintOf(spec: AppSpec<FlagTable>): string {
  return formatUsageHint(usageLine(spec));
}

/** What `--help` prints for an app. */
export function usageOf(spec: AppSpec<FlagTable>): string {
  return formatUsage({
    usage: usageLine(spec),
    summary: spec.summary,
    flags: allFlags(spec),
  });
}

/**
 * Reads an app's configuration from the command line and the environment, and checks it:
 * TLS needs both files, `--redirect-http` needs TLS, then the app's own `check`.
 *
 * @throws UsageError for anything the user has to change.
 */
export function parseConfig<F extends FlagTable>(
  spec: AppSpec<F>,
  argv: readonly string[],
  env: NodeJS.ProcessEnv,
): AppConfig<F> {
  const config = parseFlags(allFlags(spec), argv, env) as AppConfig<F>;
  if (config.help) return config;
  if ((config.tlsCert === undefined) !== (config.tlsKey === undefined)) {
    throw new UsageError(
      "WW_SHELL_REFUSED",
      config.tlsCert === undefined
        ? "--tls-key needs --tls-cert (the certificate the key belongs to)"
        : "--tls-cert needs --tls-key (the certificate's private key)",
    );
  }
  if (config.redirectHttp !== undefined && config.tlsCert === undefined) {
    throw new UsageError(
      "WW_SHELL_REFUSED",
      "--redirect-http sends plain HTTP to https://: it needs --tls-cert and --tls-key",
    );
  }
  if (
    config.redirectHttp !== undefined &&
    config.redirectHttp === config.port &&
    config.port !== 0
  ) {
    throw new UsageError(
      "WW_SHELL_REFUSED",
      `--redirect-http ${config.redirectHttp} is the HTTPS port too: choose another`,
    );
  }
  spec.check?.(config);
  return config;
}
