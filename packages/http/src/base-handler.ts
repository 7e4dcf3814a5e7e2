import { createServer } from "./server.js";
import { statusText } from "./status-codes.js";
import type {
  Handler,
  HeaderList,
  HttpRequest,
  HttpResponse,
  Server,
  ServerOptions,
} from "./types.js";

/** The writable side of a chapter-style handler, like Python's `self.wfile`. */
export interface WFile {
  /** Writes bytes (or UTF-8 text) to the client after `endHeaders()`. */
  write(data: Uint8Array | string): Promise<void>;
}

/** The readable side of a chapter-style handler, like Python's `self.rfile`. */
export interface RFile {
  /** Reads the whole request body (up to the server's body limit). */
  read(): Promise<Uint8Array>;
}

/**
 * A request handler in the manner of Python's `http.server.BaseHTTPRequestHandler`: subclass
 * it, define `doGET`, `doPOST`, … and use `sendResponse`, `sendHeader`, `endHeaders` and
 * `wfile`. A method without a `do<METHOD>` gets 501, as in Python.
 *
 * @example
 * class MyHandler extends BaseHTTPRequestHandler {
 *   async doGET() {
 *     this.sendResponse(200);
 *     this.sendHeader("Content-type", "text/html");
 *     this.endHeaders();
 *     await this.wfile.write("<html><body><h1>hello</h1></body></html>");
 *   }
 * }
 * await new HTTPServer(["", 8080], MyHandler).serveForever();
 */
export class BaseHTTPRequestHandler {
  /** The request method, like Python's `self.command`. */
  readonly command: string;
  /** The request-target as sent (path and query), like Python's `self.path`. */
  readonly path: string;
  readonly requestVersion: string;
  readonly headers: HeaderList;
  /** `[address, port]` of the client, like Python's `self.client_address`. */
  readonly clientAddress: readonly [string, number];
  readonly wfile: WFile;
  readonly rfile: RFile;
  protected readonly request: HttpRequest;
  protected readonly response: HttpResponse;

  constructor(request: HttpRequest, response: HttpResponse) {
    this.request = request;
    this.response = response;
    this.command = request.method;
    this.path = request.target;
    this.requestVersion = request.httpVersion;
    this.headers = request.headers;
    this.clientAddress = [request.remoteAddress, request.remotePort];
    this.wfile = {
      write: (data) => {
        if (!response.headersSent) this.endHeaders();
        return response.write(data);
      },
    };
    this.rfile = { read: () => request.body() };
  }

  /** Sets the status line to send; `message` replaces the standard reason phrase in logs only. */
  sendResponse(code: number, _message?: string): void {
    this.response.statusCode = code;
  }

  /** Adds a header to the response (a second call with the same name adds another line). */
  sendHeader(keyword: string, value: string | number): void {
    const existing = this.response.getHeader(keyword);
    if (existing === undefined) this.response.setHeader(keyword, value);
    else {
      const values = Array.isArray(existing) ? existing : [String(existing)];
      this.response.setHeader(keyword, [...values, String(value)]);
    }
  }

  /** Ends the header section: the status line and headers go out now. */
  endHeaders(): void {
    this.response.writeHead(this.response.statusCode);
    void this.response.write("").catch(() => {});
  }

  /** Sends a complete error response with a short HTML explanation, like Python's `send_error`. */
  async sendError(code: number, message?: string): Promise<void> {
    const text = message ?? statusText(code);
    this.response.statusCode = code;
    this.response.setHeader("Content-Type", "text/html; charset=utf-8");
    const escaped = text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
    await this.response.end(
      `<!doctype html>\n<title>Error ${code}</title>\n<h1>Error ${code}</h1>\n<p>${escaped}</p>\n`,
    );
  }

  /** Dispatches to `do<METHOD>`; 501 when the subclass has none. */
  async handle(): Promise<void> {
    const method = (this as unknown as Record<string, unknown>)[`do${this.command}`];
    if (typeof method !== "function") {
      // Python stops at the message; the methods this class does serve are more useful.
      const allowed = supportedMethods(this);
      if (allowed.length > 0) this.response.setHeader("Allow", allowed.join(", "));
      await this.sendError(501, `Unsupported method ('${this.command}')`);
      return;
    }
    await method.call(this);
    if (!this.response.finished) await this.response.end();
  }
}

const DO_METHOD = /^do([!#$%&'*+\-.^_`|~0-9A-Z]+)$/;

/** The methods `handler`'s class has a `do<METHOD>` for, from the whole prototype chain. */
function supportedMethods(handler: BaseHTTPRequestHandler): string[] {
  const methods = new Set<string>();
  let proto: object | null = Object.getPrototypeOf(handler);
  while (proto && proto !== Object.prototype) {
    for (const name of Object.getOwnPropertyNames(proto)) {
      const match = DO_METHOD.exec(name);
      if (match && typeof (handler as unknown as Record<string, unknown>)[name] === "function") {
        methods.add(match[1]!);
      }
    }
    proto = Object.getPrototypeOf(proto);
  }
  return [...methods].sort();
}

/** A subclass of {@link BaseHTTPRequestHandler}. */
export type HandlerClass = new (
  request: HttpRequest,
  response: HttpResponse,
) => BaseHTTPRequestHandler;

/** Turns a handler class into a {@link Handler}: one instance per request, as Python does. */
export function handlerFromClass(HandlerClass: HandlerClass): Handler {
  return (request, response) => new HandlerClass(request, response).handle();
}

/**
 * The chapter's `HTTPServer((host, port), Handler)`: `serveForever()` listens and resolves when
 * the server is closed.
 */
export class HTTPServer {
  readonly serverAddress: readonly [string, number];
  readonly #server: Server;
  #closed: Promise<void> | undefined;

  constructor(
    serverAddress: readonly [string, number],
    HandlerClass: HandlerClass,
    options?: ServerOptions,
  ) {
    this.serverAddress = serverAddress;
    this.#server = createServer(handlerFromClass(HandlerClass), options);
  }

  /**
   * Starts listening (an empty host means all interfaces, as in Python) and returns the port
   * (the one the system chose, for port 0). Calling it again, or `serveForever()` after it,
   * returns the same port.
   */
  listen(): Promise<number> {
    this.#port ??= (async () => {
      const [host, port] = this.serverAddress;
      const address = await this.#server.listen(port, host === "" ? "0.0.0.0" : host);
      return address.port;
    })();
    return this.#port;
  }

  #port: Promise<number> | undefined;

  /** Listens, then waits until `shutdown()` is called. */
  async serveForever(): Promise<void> {
    await this.listen();
    await new Promise<void>((resolve) => {
      this.#onShutdown = resolve;
    });
  }

  /** Stops the server: in-flight requests finish, then `serveForever()` resolves. */
  async shutdown(): Promise<void> {
    this.#closed ??= this.#server.close();
    await this.#closed;
    this.#onShutdown?.();
  }

  #onShutdown: (() => void) | undefined;
}
