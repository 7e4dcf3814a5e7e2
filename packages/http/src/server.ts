import { createServer as createNetServer, type Server as NetServer, type Socket } from "node:net";
import { Connection, type ConnectionSettings } from "./connection.js";
import { DEFAULT_PARSER_LIMITS } from "./request-parser.js";
import { TlsTerminator } from "./tls.js";
import type { Handler, Limits, MinDataRate, Server, ServerOptions, Timeouts } from "./types.js";

/** Default limits: the parser's head limits plus a 1 MiB default for `request.body()`. */
export const DEFAULT_LIMITS: Readonly<Limits> = Object.freeze({
  ...DEFAULT_PARSER_LIMITS,
  maxBodyBytes: 1024 * 1024,
});

/**
 * Default timeouts: 10 s to send a complete head (from the connection's start or the first
 * byte of a request), 5 s of keep-alive idleness, 30 s without body bytes while a handler waits.
 */
export const DEFAULT_TIMEOUTS: Readonly<Timeouts> = Object.freeze({
  headersMs: 10_000,
  idleMs: 5_000,
  bodyMs: 30_000,
});

/**
 * Default minimum data rate for requests and responses, Kestrel's: 240 bytes/s on average once
 * 5 s have passed. A client slower than that on a head, a body or reading a response is cut.
 */
export const DEFAULT_MIN_DATA_RATE: Readonly<MinDataRate> = Object.freeze({
  bytesPerSecond: 240,
  graceMs: 5_000,
});

/** Default cap on open connections (TLS handshakes included). */
export const DEFAULT_MAX_CONNECTIONS = 10_000;

function minRate(name: string, value: MinDataRate | false | undefined): MinDataRate | false {
  if (value === undefined) return DEFAULT_MIN_DATA_RATE;
  if (value === false) return false;
  if (typeof value !== "object" || value === null) {
    throw new TypeError(`${name} must be { bytesPerSecond, graceMs } or false`);
  }
  checkPositive(name, { bytesPerSecond: value.bytesPerSecond });
  if (!Number.isFinite(value.graceMs) || value.graceMs < 0) {
    throw new RangeError(`${name}.graceMs must be a number >= 0, got ${value.graceMs}`);
  }
  return { bytesPerSecond: value.bytesPerSecond, graceMs: value.graceMs };
}

function hook<T>(name: string, value: T | undefined): T | undefined {
  if (value !== undefined && typeof value !== "function") {
    throw new TypeError(`createServer: ${name} must be a function`);
  }
  return value;
}

function checkPositive(group: string, values: Record<string, number>): void {
  for (const [name, value] of Object.entries(values)) {
    if (!Number.isFinite(value) || value <= 0) {
      throw new RangeError(`${group}.${name} must be a positive number, got ${value}`);
    }
  }
}

/**
 * Creates an HTTP/1.1 server on `node:net` that calls `handler` once per request.
 *
 * @example
 * const server = createServer(async (request, response) => {
 *   response.setHeader("Content-Type", "text/plain; charset=utf-8");
 *   await response.end(`hello from ${request.path}\n`);
 * });
 * const { port } = await server.listen(8080, "localhost");
 *
 * @example
 * // HTTPS on the same engine: node:tls options, ALPN offers http/1.1.
 * const secure = createServer(handler, {
 *   tls: { key: readFileSync("key.pem"), cert: readFileSync("cert.pem") },
 * });
 */
export function createServer(handler: Handler, options: ServerOptions = {}): Server {
  if (typeof handler !== "function")
    throw new TypeError("createServer: handler must be a function");
  const limits: Limits = { ...DEFAULT_LIMITS, ...options.limits };
  const timeouts: Timeouts = { ...DEFAULT_TIMEOUTS, ...options.timeouts };
  checkPositive("limits", { ...limits });
  checkPositive("timeouts", { ...timeouts });
  const maxConnections = options.maxConnections ?? DEFAULT_MAX_CONNECTIONS;
  checkPositive("options", { maxConnections });
  if (options.maxConnectionsPerAddress !== undefined) {
    checkPositive("options", { maxConnectionsPerAddress: options.maxConnectionsPerAddress });
  }
  const maxPerAddress = options.maxConnectionsPerAddress ?? Number.POSITIVE_INFINITY;
  let reported = false;
  let warned = false;
  const settings: ConnectionSettings = {
    handler,
    limits,
    timeouts,
    minRequestRate: minRate("minRequestDataRate", options.minRequestDataRate),
    minResponseRate: minRate("minResponseDataRate", options.minResponseDataRate),
    allowBareLf: options.allowBareLf ?? false,
    onUpgrade: hook("onUpgrade", options.onUpgrade),
    onConnect: hook("onConnect", options.onConnect),
    reportError:
      options.onError ??
      ((error) => {
        // Once in full, then one line each: a handler failing on every request must not flood.
        console.error(reported ? `wireweb: ${String(error)}` : error);
        reported = true;
      }),
    warnUnended() {
      if (warned) return;
      warned = true;
      process.emitWarning("a handler returned without ending its response; the server ended it", {
        code: "WIREWEB_RESPONSE_NOT_ENDED",
      });
    },
  };

  const connections = new Set<Connection>();
  let closing: Promise<void> | undefined;
  /** Set by close(): resolves it once the listener and the last connection are closed. */
  let checkClosed: (() => void) | undefined;
  const net: NetServer = createNetServer(
    // Half-open: a client may send its requests and shut its side; it still gets the answers.
    { noDelay: true, allowHalfOpen: true },
    (raw) => {
      if (closing) {
        raw.destroy();
        return;
      }
      if (maxPerAddress !== Number.POSITIVE_INFINITY && !admitAddress(raw)) return;
      options.onConnection?.({
        remoteAddress: raw.remoteAddress ?? "",
        remotePort: raw.remotePort ?? 0,
      });
      if (tls) tls.accept(raw);
      else serve(raw, false, Date.now());
    },
  );
  /** Open connections per client address, kept only when a per-address cap is set. */
  const perAddress = new Map<string, number>();
  /** Counts `raw` against its address's cap; refuses (closes) it past the cap. */
  function admitAddress(raw: Socket): boolean {
    const address = raw.remoteAddress ?? "";
    const open = perAddress.get(address) ?? 0;
    if (open >= maxPerAddress) {
      raw.destroy();
      return false;
    }
    perAddress.set(address, open + 1);
    raw.once("close", () => {
      const left = (perAddress.get(address) ?? 1) - 1;
      if (left === 0) perAddress.delete(address);
      else perAddress.set(address, left);
    });
    return true;
  }
  /** Runs HTTP on a connected socket (after its TLS handshake, for HTTPS). */
  function serve(socket: Socket, secure: boolean, acceptedAt: number): void {
    if (closing) {
      socket.destroy();
      return;
    }
    const connection = new Connection(socket, settings, secure, acceptedAt, (c) => {
      connections.delete(c);
      checkClosed?.();
    });
    connections.add(connection);
  }
  const tls =
    options.tls === undefined
      ? undefined
      : new TlsTerminator(
          options.tls,
          timeouts.headersMs,
          (socket, acceptedAt) => serve(socket, true, acceptedAt),
          () => checkClosed?.(),
        );
  // node:net closes a connection accepted past the cap at once, before reading from it.
  net.maxConnections = maxConnections;

  return {
    listen(port = 0, host = "localhost") {
      return new Promise((resolve, reject) => {
        net.once("error", reject);
        net.listen(port, host, () => {
          net.off("error", reject);
          const address = net.address();
          if (address === null || typeof address === "string") {
            reject(new Error("listen: the server has no TCP address"));
            return;
          }
          resolve({ address: address.address, port: address.port });
        });
      });
    },
    close() {
      closing ??= new Promise<void>((resolve) => {
        let listenerClosed = !net.listening;
        checkClosed = () => {
          if (listenerClosed && connections.size === 0 && !tls?.handshaking) resolve();
        };
        if (!listenerClosed) {
          net.close(() => {
            listenerClosed = true;
            checkClosed?.();
          });
        }
        tls?.destroyHandshaking();
        for (const connection of [...connections]) connection.shutdown();
        checkClosed();
      });
      return closing;
    },
    get connections() {
      return connections.size + (tls?.handshaking ?? 0);
    },
    setSecureContext(secureOptions) {
      if (!tls) throw new TypeError("setSecureContext: this server was created without tls");
      tls.setSecureContext(secureOptions);
    },
  };
}
