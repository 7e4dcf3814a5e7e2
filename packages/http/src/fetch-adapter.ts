/**
 * Adapters at the edge: the one place where @wireweb/http's `(request, response)` handlers and
 * the web's `(Request) => Response` handlers (Hono's `app.fetch`, h3's `app.fetch`, …) meet.
 * Requests become lazy standard Requests (lazy-request.ts), Responses are written back with
 * backpressure (fetch-response.ts); nothing else in the package knows about fetch.
 */

import { installFetchGlobals } from "./fetch-globals.js";
import { sendFetchResponse } from "./fetch-response.js";
import { LazyRequest } from "./lazy-request.js";
import { NativeResponse } from "./light-response.js";
import { createServer } from "./server.js";
import { statusText } from "./status-codes.js";
import type { Handler, HttpRequest, HttpResponse, Server, ServerOptions } from "./types.js";

/** What a fetch handler gets besides the Request: the client's address and the raw request. */
export interface FetchInfo {
  readonly remoteAddress: string;
  readonly remotePort: number;
  /** The request as @wireweb/http parsed it (the raw target, the header lines as sent, …). */
  readonly request: HttpRequest;
}

/** A web-standard handler: Hono's and h3's `app.fetch` have this shape. */
export type FetchHandler = (request: Request, info: FetchInfo) => Response | Promise<Response>;

export interface FetchAdapterOptions {
  /**
   * The scheme of the URLs the handler sees. Default: `"https"` for requests that arrived over
   * TLS (`request.secure`), `"http"` for the others. Set it when TLS ends in front of the server
   * (a proxy): then every URL says what the client used.
   */
  scheme?: "http" | "https";
  /** The host for requests that name none (HTTP/1.0 without Host, an empty Host). Default `"localhost"`. */
  hostname?: string;
  /**
   * Replace the global `Response` with a lightweight one, so that the responses the
   * application builds cost little until written, and the global `Request` with the native
   * class that also accepts the adapter's lazy requests (`new Request(request)`), as
   * @hono/node-server does (default `true`; see the README). `false` leaves both globals alone.
   */
  replaceGlobals?: boolean;
}

export interface FetchServerOptions
  extends ServerOptions,
    Pick<FetchAdapterOptions, "hostname" | "replaceGlobals"> {}

/**
 * Methods no `Request` can carry (Fetch's forbidden methods): such a request never reaches the
 * handler and is answered 501 (RFC 9110 §9.1: a method the origin does not implement).
 */
const FORBIDDEN_METHODS = new Set(["CONNECT", "TRACE", "TRACK"]);

// Targets and hosts that the URL parser would keep exactly as they are, so that the URL can be
// concatenated instead of parsed. Anything else (dot segments, "%2e", characters the parser
// percent-encodes or changes, upper-case or IP-literal hosts, default ports) goes through URL.
const PLAIN_TARGET = /^\/[A-Za-z0-9\-._~!$&()*+,;=:@/?%]*$/;
const DOT_SEGMENT = /\/\.\.?(?:[/?]|$)|%2e/i;
const PLAIN_HOST = /^[a-z0-9.-]+(?::([1-9]\d{0,4}))?$/;
const DEFAULT_PORTS = { http: "80", https: "443" } as const;

/**
 * The request's URL: scheme, Host and target, as `new URL()` would spell it.
 * @returns `undefined` when they make no valid URL (the request is answered 400).
 */
export function requestUrl(
  request: HttpRequest,
  scheme: "http" | "https",
  hostname: string,
): string | undefined {
  const target = request.target;
  if (request.method === "OPTIONS" && target === "*")
    return `${scheme}://${hostOf(request, hostname)}/*`;
  if (target.charCodeAt(0) !== 47 /* "/" */) {
    // absolute-form (RFC 9112 §3.2.2): the target names its own scheme and authority.
    return parseUrl(target);
  }
  const host = hostOf(request, hostname);
  const plainHost = PLAIN_HOST.exec(host);
  if (
    plainHost !== null &&
    (plainHost[1] === undefined ||
      (plainHost[1] !== DEFAULT_PORTS[scheme] && Number(plainHost[1]) <= 65535)) &&
    PLAIN_TARGET.test(target) &&
    !DOT_SEGMENT.test(target)
  ) {
    return `${scheme}://${host}${target}`;
  }
  // Concatenated, never resolved against a base: "//evil.example/" must stay a path.
  return parseUrl(`${scheme}://${host}${target}`);
}

function hostOf(request: HttpRequest, hostname: string): string {
  const host = request.headers.get("host");
  return host === undefined || host === "" ? hostname : host;
}

function parseUrl(text: string): string | undefined {
  try {
    const url = new URL(text);
    return url.protocol === "http:" || url.protocol === "https:" ? url.href : undefined;
  } catch {
    return undefined;
  }
}

function refuse(response: HttpResponse, status: number, reason: string): Promise<void> {
  response.statusCode = status;
  response.setHeader("Content-Type", "text/plain; charset=utf-8");
  return response.end(`${status} ${statusText(status)}: ${reason}\n`);
}

/**
 * Turns a web-standard handler into a @wireweb/http {@link Handler}, to mount beside plain
 * handlers or to pass to `createServer`. The handler gets a standard `Request` (built lazily:
 * see the README) whose `signal` aborts when the client leaves, and returns a `Response` or a
 * promise of one, written with backpressure. An exception or a rejection becomes a 500 that
 * the server logs (`onError`); it never crashes the process or leaves the client waiting.
 *
 * @example
 * const api = toHandler(app.fetch); // a Hono app
 * createServer((request, response) =>
 *   request.path.startsWith("/api/") ? api(request, response) : files(request, response));
 */
export function toHandler(fetch: FetchHandler, options: FetchAdapterOptions = {}): Handler {
  if (typeof fetch !== "function") throw new TypeError("toHandler: fetch must be a function");
  const scheme = options.scheme;
  if (scheme !== undefined && scheme !== "http" && scheme !== "https") {
    throw new RangeError(`toHandler: scheme must be "http" or "https", got ${String(scheme)}`);
  }
  const hostname = options.hostname ?? "localhost";
  if (options.replaceGlobals !== false) installFetchGlobals();
  return (request, response) => {
    const method = request.method;
    if (method.length >= 5 && FORBIDDEN_METHODS.has(method.toUpperCase())) {
      return refuse(response, 501, `${request.method} is not supported by this server`);
    }
    const url = requestUrl(request, scheme ?? (request.secure ? "https" : "http"), hostname);
    if (url === undefined) return refuse(response, 400, "the Host and target make no valid URL");
    const info: FetchInfo = {
      remoteAddress: request.remoteAddress,
      remotePort: request.remotePort,
      request,
    };
    const result = fetch(new LazyRequest(request, url) as unknown as Request, info);
    const isHead = method === "HEAD";
    if (result instanceof NativeResponse) return sendFetchResponse(result, response, isHead);
    return Promise.resolve(result).then((value) => sendFetchResponse(value, response, isHead));
  };
}

/**
 * Serves a web-standard handler (Hono's `app.fetch`, h3's `app.fetch`) on @wireweb/http: the
 * same {@link Server} and options as `createServer`, around {@link toHandler}.
 *
 * @example
 * import { Hono } from "hono";
 * import { createFetchServer } from "@wireweb/http";
 * const app = new Hono().get("/", (c) => c.text("Hello from Hono on wireweb"));
 * await createFetchServer(app.fetch).listen(8080);
 */
export function createFetchServer(fetch: FetchHandler, options: FetchServerOptions = {}): Server {
  const adapterOptions: FetchAdapterOptions = {};
  if (options.hostname !== undefined) adapterOptions.hostname = options.hostname;
  if (options.replaceGlobals !== undefined) adapterOptions.replaceGlobals = options.replaceGlobals;
  return createServer(toHandler(fetch, adapterOptions), options);
}
