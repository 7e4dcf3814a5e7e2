import cluster from "node:cluster";
import { createServer, type Handler, type Server, type ServerOptions } from "@wireweb/http";
import type { AppConfig, AppInstance, AppSpec, ShellContext } from "./app.js";
import type { FlagTable } from "./flags.js";
import { describeListenError, hostPort } from "./listen-error.js";
import { createRedirectHandler } from "./redirect.js";
import { count, handleStopSignals } from "./stop-signals.js";
import { readTlsFiles, type TlsFiles } from "./tls-files.js";

/** One year, without includeSubDomains: a site opts its own host in, nothing more (RFC 6797). */
export const HSTS = "max-age=31536000";

/** What a worker tells the primary once it listens, so that the primary prints the URL once. */
export interface ListeningMessage {
  wireweb: "listening";
  port: number;
  redirectPort: number | undefined;
}

/** The URL a person opens: `https://localhost:8443/`. */
export function serverUrl(host: string, port: number, secure: boolean): string {
  const shown = host === "0.0.0.0" || host === "::" ? "localhost" : host;
  return `${secure ? "https" : "http"}://${hostPort(shown, port)}/`;
}

/** Prints where the app listens: the app's banner with its URL, and the redirect port if any. */
export function announce<F extends FlagTable>(
  spec: AppSpec<F>,
  config: AppConfig<F>,
  ports: { port: number; redirectPort: number | undefined },
  say: (line: string) => void,
): void {
  const url = serverUrl(config.host, ports.port, config.tlsCert !== undefined);
  say(spec.banner?.(config, url) ?? `Open your browser and connect to: ${url}`);
  if (ports.redirectPort !== undefined) {
    say(`Plain HTTP on ${serverUrl(config.host, ports.redirectPort, false)} answers 308 to it.`);
  }
}

/**
 * Starts the app in this process and serves it until a signal: the whole life of a single
 * process, or of one worker under `--workers`.
 */
export async function serve<F extends FlagTable>(
  spec: AppSpec<F>,
  config: AppConfig<F>,
): Promise<void> {
  const worker = cluster.isWorker ? cluster.worker?.id : undefined;
  const prefix = worker === undefined ? "" : `worker ${worker}: `;
  const say = (line: string) => process.stdout.write(`${prefix}${line}\n`);
  const fail = (message: string, exitCode = 1): never => {
    process.stderr.write(`${spec.name}: ${prefix}${message}\n`);
    process.exit(exitCode);
  };

  let tls: TlsFiles | undefined;
  if (config.tlsCert !== undefined && config.tlsKey !== undefined) {
    try {
      tls = readTlsFiles(config.tlsCert, config.tlsKey);
    } catch (error) {
      fail((error as Error).message, 1);
    }
  }

  let stopControl: { stop(): void } | undefined;
  const shell: ShellContext = { say, fail, stop: () => stopControl?.stop(), worker };
  const app: AppInstance = await spec.start(config, shell);

  let inFlight = 0;
  const appHandler = app.handler;
  const hsts = tls !== undefined && spec.hsts === true;
  const handler: Handler = async (request, response) => {
    inFlight++;
    try {
      if (hsts) response.setHeader("Strict-Transport-Security", HSTS);
      await appHandler(request, response);
    } finally {
      inFlight--;
    }
  };
  const options: ServerOptions = { ...app.server };
  if (tls !== undefined) options.tls = { ...tls };
  const server = createServer(handler, options);

  let port: number;
  try {
    ({ port } = await server.listen(config.port, config.host));
  } catch (error) {
    // Release what the app holds (the store and its lock) before saying why and leaving.
    await app.close?.().catch(() => undefined);
    return fail(describeListenError(error, config.host, config.port), 1);
  }

  let redirect: Server | undefined;
  let redirectPort: number | undefined;
  if (config.redirectHttp !== undefined) {
    redirect = createServer(createRedirectHandler(port, config.host));
    try {
      ({ port: redirectPort } = await redirect.listen(config.redirectHttp, config.host));
    } catch (error) {
      await server.close();
      await app.close?.().catch(() => undefined);
      return fail(describeListenError(error, config.host, config.redirectHttp), 1);
    }
  }

  if (tls !== undefined) {
    const files = { cert: config.tlsCert!, key: config.tlsKey! };
    process.on("SIGHUP", () => {
      try {
        server.setSecureContext(readTlsFiles(files.cert, files.key));
        say(`SIGHUP: reloaded ${files.cert} and ${files.key}`);
      } catch (error) {
        say(`SIGHUP: kept the certificate in use: ${(error as Error).message}`);
      }
    });
  }

  const waitingFor = () => {
    const live = app.liveStreams?.() ?? 0;
    const requests = Math.max(0, inFlight - live);
    const parts: string[] = [];
    if (live > 0) parts.push(`closing ${count(live, "live stream")}`);
    if (requests > 0) parts.push(`waiting for ${count(requests, "request")}`);
    return parts.length === 0 ? undefined : parts.join(", ");
  };
  const stop = async () => {
    await app.drain?.();
    await Promise.all([server.close(), redirect?.close()]);
    await app.close?.();
  };
  if (worker === undefined) {
    stopControl = handleStopSignals({ say, waitingFor, stop });
    announce(spec, config, { port, redirectPort }, say);
    return;
  }
  // A worker: the primary reads Ctrl-C for all (the terminal sends SIGINT to every process in
  // the group) and asks each worker to stop with SIGTERM.
  process.on("SIGINT", () => undefined);
  stopControl = handleStopSignals({ say, waitingFor, stop, signals: ["SIGTERM"] });
  process.send?.({ wireweb: "listening", port, redirectPort } satisfies ListeningMessage);
}
