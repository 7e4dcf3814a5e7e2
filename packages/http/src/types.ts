import type { Socket } from "node:net";
import type { SecureContextOptions, TlsOptions } from "node:tls";

/**
 * The public shapes of @wireweb/http. This file is the contract between the parser, the server
 * and the apps: change it only together with every user of it.
 */

/** Request header fields in the order received, duplicates kept, looked up case-insensitively. */
export interface HeaderList {
  /** Number of field lines. */
  readonly size: number;
  /** The value of `name` (case-insensitive); duplicates joined with ", ". `undefined` if absent. */
  get(name: string): string | undefined;
  /** Every value of `name`, in order received. */
  getAll(name: string): string[];
  has(name: string): boolean;
  /** `[name, value]` pairs in order received, names as the client spelled them. */
  [Symbol.iterator](): IterableIterator<[name: string, value: string]>;
}

/** The request line and header section of one request, as the parser produced them. */
export interface RequestHead {
  /** The method token exactly as sent (case-sensitive, any token). */
  readonly method: string;
  /** The request-target exactly as sent, not decoded. */
  readonly target: string;
  /** 0 for HTTP/1.0, 1 for HTTP/1.1 and any higher 1.x (RFC 9110 §2.5). */
  readonly versionMinor: number;
  readonly headers: HeaderList;
  /**
   * The bytes received for the request line and header section, final CRLF CRLF included: a
   * view of the input (a copy when the head arrived in pieces), made on first use.
   */
  readonly raw: Uint8Array;
  /** Whether the connection may stay open after this request (RFC 9112 §9.3). */
  readonly keepAlive: boolean;
  /** `Expect: 100-continue` was sent. */
  readonly expectContinue: boolean;
  /** How the body is framed: none, a Content-Length, or chunked coding. */
  readonly bodyKind: "none" | "length" | "chunked";
  /** The Content-Length for `bodyKind === "length"`, otherwise -1. */
  readonly contentLength: number;
}

/** One request as a handler sees it. */
export interface HttpRequest extends RequestHead {
  /**
   * The target's path, not decoded: always starts with `/`, or is `"*"` for asterisk-form
   * (`""` only for CONNECT, which only `onConnect` sees). Split strictly, exactly as
   * `@wireweb/url`'s `splitTarget` splits it (a target it refuses is answered 400); for an
   * absolute-form target (`GET http://host/p`), the path after the authority, `"/"` if empty.
   */
  readonly path: string;
  /** The target's query (after the first `?`, without it), not decoded; `""` when there is none. */
  readonly query: string;
  /** `"HTTP/1.0"` or `"HTTP/1.1"`. */
  readonly httpVersion: string;
  readonly remoteAddress: string;
  readonly remotePort: number;
  /** True when the request arrived over TLS (`createServer(handler, { tls })`). */
  readonly secure: boolean;
  /** Aborted when the connection closes before the response has been sent in full. */
  readonly signal: AbortSignal;
  /**
   * Reads the whole body (sends `100 Continue` first when the client asked for it).
   * @throws HttpError `WW_HTTP_BODY_TOO_LARGE` (413) past `limit` (default: the server's maxBodyBytes).
   */
  body(options?: { limit?: number }): Promise<Uint8Array>;
  /** The body decoded as UTF-8 (same limits as `body`). */
  text(options?: { limit?: number }): Promise<string>;
  /** The body chunk by chunk, read from the socket on demand (backpressure). */
  [Symbol.asyncIterator](): AsyncIterator<Uint8Array>;
}

export type HeaderValue = string | number | readonly string[];

/** The response a handler writes. The server adds `Date`, and `Content-Length` or chunked coding. */
export interface HttpResponse {
  /** Status to send; settable until the head is sent. Default 200. */
  statusCode: number;
  readonly headersSent: boolean;
  /** True once `end()` has been called. */
  readonly finished: boolean;
  setHeader(name: string, value: HeaderValue): this;
  getHeader(name: string): HeaderValue | undefined;
  hasHeader(name: string): boolean;
  removeHeader(name: string): this;
  /** Sets the status and headers; they go out with the first write (or at `end`). */
  writeHead(status: number, headers?: Record<string, HeaderValue>): this;
  /** Writes a body chunk; resolves when the socket has taken it, so `await` is backpressure. */
  write(chunk: Uint8Array | string): Promise<void>;
  /** Writes the last chunk (if any) and finishes the response. */
  end(chunk?: Uint8Array | string): Promise<void>;
}

/** What the application supplies: called once per request, in order per connection. */
export type Handler = (request: HttpRequest, response: HttpResponse) => void | Promise<void>;

/** Byte and count limits. Exceeding one answers the status named and closes the connection. */
export interface Limits {
  /** Request line (method, target, version) in bytes: 414 past it. */
  maxLineBytes: number;
  /** Whole header section in bytes: 431 past it. */
  maxHeaderBytes: number;
  /** Number of header fields: 431 past it. */
  maxHeaderCount: number;
  /** Default body limit for `request.body()`: 413 past it. */
  maxBodyBytes: number;
}

export interface Timeouts {
  /**
   * From the first byte of a request (or the TCP connection's start, TLS handshake included)
   * until its head is complete: 408.
   */
  headersMs: number;
  /** Idle keep-alive connection with no request in progress: closed quietly. */
  idleMs: number;
  /**
   * No body bytes arriving while a handler waits for them: 408. Also the time a write may wait
   * for a client that takes no bytes at all.
   */
  bodyMs: number;
}

/**
 * A minimum average data rate (Kestrel's MinDataRate): once `graceMs` has passed, the bytes
 * moved divided by the time counted must stay at least `bytesPerSecond`. Time counts only while
 * the server is waiting for the client (not while a handler is busy).
 */
export interface MinDataRate {
  bytesPerSecond: number;
  graceMs: number;
}

export interface ConnectionInfo {
  readonly remoteAddress: string;
  readonly remotePort: number;
}

export interface ServerOptions {
  /**
   * Serve HTTPS: node:tls options (`key`, `cert`, `ca`, `minVersion`, `SNICallback`,
   * `requestCert`, …). ALPN always offers `http/1.1` only (`ALPNProtocols` is ignored), and the
   * handshake counts against `timeouts.headersMs` (`handshakeTimeout` is ignored).
   */
  tls?: TlsOptions;
  limits?: Partial<Limits>;
  timeouts?: Partial<Timeouts>;
  /** Called for every accepted connection, before any request on it. */
  onConnection?(info: ConnectionInfo): void;
  /** Accept a bare LF as a line end (RFC 9112 §2.2 allows it; default false: 400). */
  allowBareLf?: boolean;
  /**
   * Open connections at most (TLS handshakes included). At the cap a new connection is closed
   * at once, before any byte is read; the ones already open are never dropped to make room.
   * Default 10,000.
   */
  maxConnections?: number;
  /**
   * Open connections at most from one client address; more from that address are closed at
   * once. Default: no per-address cap (clients behind one NAT or proxy share an address).
   */
  maxConnectionsPerAddress?: number;
  /**
   * Minimum rate for request heads and bodies (counted while the server waits for them): a
   * slower client gets 408 and is closed. Default 240 bytes/s after 5 s; `false` disables.
   */
  minRequestDataRate?: MinDataRate | false;
  /**
   * Minimum rate at which a client must read a response the server is waiting to send (counted
   * only while the socket's buffer is full): a slower client is cut. Default 240 bytes/s after
   * 5 s; `false` disables.
   */
  minResponseDataRate?: MinDataRate | false;
  /**
   * Takes over requests that ask to switch protocols (RFC 9110 §7.8: HTTP/1.1, a bodiless
   * request with `Upgrade` and `Connection: upgrade`, e.g. a WebSocket handshake). The server
   * stops reading the socket and hands it over with `head`, the bytes received after the
   * request's head; the hook answers (101 or an error) and owns the socket from then on. With
   * ws: `wss.handleUpgrade(toIncomingMessage(request, socket), socket, head, cb)`. Without
   * this option, Upgrade is ignored and the request goes to the handler like any other.
   */
  onUpgrade?(request: HttpRequest, socket: Socket, head: Buffer): void;
  /**
   * Takes over CONNECT requests (RFC 9110 §9.3.6), the same way as `onUpgrade`. Without it a
   * CONNECT is answered `501 Not Implemented` with `Connection: close`, and no byte after it is
   * parsed as a request.
   */
  onConnect?(request: HttpRequest, socket: Socket, head: Buffer): void;
  /** Called with errors the server handled itself: handler exceptions and unexpected parser failures (not client resets, which are normal). Default: console.error, in full the first time and one line after. */
  onError?(error: unknown): void;
}

export interface Server {
  /** Starts listening; resolves with the bound address. Port 0 picks a free port. */
  listen(port?: number, host?: string): Promise<{ address: string; port: number }>;
  /** Stops accepting, lets in-flight requests finish, closes idle connections; resolves when all are closed. */
  close(): Promise<void>;
  /** Open connections right now. */
  readonly connections: number;
  /**
   * Replaces the TLS certificate (and any other secure-context option) for connections from
   * now on; open connections keep theirs. Reload on SIGHUP with this.
   * @throws TypeError on a server created without `tls`; node:tls errors for a bad key or cert.
   */
  setSecureContext(options: SecureContextOptions): void;
}
