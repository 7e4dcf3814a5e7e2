import { connect, type Socket } from "node:net";
import { afterEach } from "vitest";
import { createServer } from "../src/server.js";
import type { Handler, Server, ServerOptions } from "../src/types.js";

/** Everything a test opened; closed in afterEach so no test leaks a socket into the next. */
const servers: Server[] = [];
const sockets: Socket[] = [];

afterEach(async () => {
  for (const socket of sockets.splice(0)) socket.destroy();
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

/** Errors the server reported through onError during the test. */
export interface Started {
  server: Server;
  port: number;
  url: string;
  errors: unknown[];
}

/** Starts a server on 127.0.0.1 with a free port; errors go to `errors` instead of the console. */
export async function start(handler: Handler, options: ServerOptions = {}): Promise<Started> {
  const errors: unknown[] = [];
  const server = createServer(handler, { onError: (error) => errors.push(error), ...options });
  servers.push(server);
  const { port } = await server.listen(0, "127.0.0.1");
  return { server, port, url: `http://127.0.0.1:${port}`, errors };
}

/** One response as read off the wire. */
export interface WireResponse {
  status: number;
  /** The status line and header lines as sent (CRLF kept), without the blank line. */
  head: string;
  /** Header names lower-cased; duplicates joined with ", ". */
  headers: Record<string, string>;
  body: Buffer;
}

/** Waits until `predicate` holds, polling; throws after `ms`. */
export async function until(predicate: () => boolean, ms = 2000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/**
 * Waits until `read()` is above zero and has not changed for `turns` turns of the event loop in a
 * row, and returns it. Each turn runs the loop's I/O phase, so a server that can still make
 * progress (a socket that takes more bytes, a request that can be parsed) moves the value; one
 * that is held back by backpressure does not. No wall-clock sleep: a slow machine only makes
 * the turns slower. Throws after `ms`.
 */
export async function settled(read: () => number, turns = 50, ms = 10_000): Promise<number> {
  const deadline = Date.now() + ms;
  let last = read();
  let still = 0;
  while (still < turns || last === 0) {
    if (Date.now() > deadline) throw new Error(`value did not settle in time (last ${last})`);
    await new Promise((resolve) => setImmediate(resolve));
    const now = read();
    still = now === last ? still + 1 : 0;
    last = now;
  }
  return last;
}

/**
 * A raw TCP client: writes exact bytes and reads responses by their framing, so tests see
 * what the server put on the wire, byte for byte.
 */
export class RawClient {
  readonly socket: Socket;
  #buffer = Buffer.alloc(0);
  #closed = false;
  #waiters: Array<() => void> = [];

  private constructor(socket: Socket) {
    this.socket = socket;
    socket.on("data", (chunk: Buffer) => {
      this.#buffer = Buffer.concat([this.#buffer, chunk]);
      this.#wake();
    });
    socket.on("close", () => {
      this.#closed = true;
      this.#wake();
    });
    socket.on("error", () => {});
  }

  static async connect(port: number): Promise<RawClient> {
    const socket = connect(port, "127.0.0.1");
    sockets.push(socket);
    await new Promise<void>((resolve, reject) => {
      socket.once("connect", resolve);
      socket.once("error", reject);
    });
    return new RawClient(socket);
  }

  get closed(): boolean {
    return this.#closed;
  }

  /** Bytes received and not yet consumed by `response()`. */
  get buffered(): Buffer {
    return this.#buffer;
  }

  write(data: string | Uint8Array): void {
    this.socket.write(typeof data === "string" ? Buffer.from(data, "latin1") : data);
  }

  /** Reads one response; `head: true` for a response to HEAD (no body whatever it says). */
  async response(options: { head?: boolean; timeoutMs?: number } = {}): Promise<WireResponse> {
    const deadline = Date.now() + (options.timeoutMs ?? 3000);
    for (;;) {
      const parsed = parseResponse(this.#buffer, options.head ?? false, this.#closed);
      if (parsed) {
        this.#buffer = this.#buffer.subarray(parsed.used);
        return parsed.response;
      }
      if (this.#closed) {
        throw new Error(
          `connection closed; got ${JSON.stringify(this.#buffer.toString("latin1"))}`,
        );
      }
      await this.#wait(deadline);
    }
  }

  /** Resolves once the server has closed the connection; rejects after `ms`. */
  async waitClosed(ms = 3000): Promise<void> {
    const deadline = Date.now() + ms;
    while (!this.#closed) await this.#wait(deadline);
  }

  /** Everything until the server closes the connection. */
  async readToEnd(ms = 3000): Promise<string> {
    await this.waitClosed(ms);
    const text = this.#buffer.toString("latin1");
    this.#buffer = Buffer.alloc(0);
    return text;
  }

  #wait(deadline: number): Promise<void> {
    const left = deadline - Date.now();
    if (left <= 0) return Promise.reject(new Error("timed out waiting for the server"));
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error("timed out waiting for the server")), left);
      this.#waiters.push(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  #wake(): void {
    for (const waiter of this.#waiters.splice(0)) waiter();
  }
}

/** Parses one response from the start of `buffer`, or returns undefined if it is incomplete. */
export function parseResponse(
  buffer: Buffer,
  isHead: boolean,
  closed: boolean,
): { response: WireResponse; used: number } | undefined {
  const end = buffer.indexOf("\r\n\r\n");
  if (end === -1) return undefined;
  const head = buffer.subarray(0, end).toString("latin1");
  const [statusLine, ...lines] = head.split("\r\n");
  const status = Number(statusLine!.split(" ")[1]);
  const headers: Record<string, string> = {};
  for (const line of lines) {
    const colon = line.indexOf(":");
    const name = line.slice(0, colon).toLowerCase();
    const value = line.slice(colon + 1).trim();
    headers[name] = headers[name] === undefined ? value : `${headers[name]}, ${value}`;
  }
  let offset = end + 4;
  const bodyless = isHead || status === 204 || status === 304 || (status >= 100 && status < 200);
  if (bodyless) return { response: { status, head, headers, body: Buffer.alloc(0) }, used: offset };
  if (headers["transfer-encoding"] === "chunked") {
    const parts: Buffer[] = [];
    for (;;) {
      const lineEnd = buffer.indexOf("\r\n", offset);
      if (lineEnd === -1) return undefined;
      const size = Number.parseInt(buffer.subarray(offset, lineEnd).toString("latin1"), 16);
      if (size === 0) {
        if (buffer.length < lineEnd + 4) return undefined;
        const body = Buffer.concat(parts);
        return { response: { status, head, headers, body }, used: lineEnd + 4 };
      }
      if (buffer.length < lineEnd + 2 + size + 2) return undefined;
      parts.push(buffer.subarray(lineEnd + 2, lineEnd + 2 + size));
      offset = lineEnd + 2 + size + 2;
    }
  }
  if (headers["content-length"] !== undefined) {
    const length = Number(headers["content-length"]);
    if (buffer.length < offset + length) return undefined;
    const body = Buffer.from(buffer.subarray(offset, offset + length));
    return { response: { status, head, headers, body }, used: offset + length };
  }
  // Close-delimited.
  if (!closed) return undefined;
  return {
    response: { status, head, headers, body: Buffer.from(buffer.subarray(offset)) },
    used: buffer.length,
  };
}

/** A GET request in exact bytes. */
export function get(path = "/", extra = ""): string {
  return `GET ${path} HTTP/1.1\r\nHost: t\r\n${extra}\r\n`;
}
