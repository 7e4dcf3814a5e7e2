import { dateHeaderLine } from "./date-cache.js";
import { HttpError } from "./errors.js";
import { ResponseHeaders } from "./response-headers.js";
import { isBodylessStatus, statusText } from "./status-codes.js";
import type { HeaderValue, HttpResponse } from "./types.js";

/** What a response needs from its connection. */
export interface ResponseSink {
  /** Hands bytes to the socket; resolves at once, or when the socket has drained (backpressure). */
  send(data: Uint8Array | readonly Uint8Array[]): Promise<void>;
  /** Asked as the head is built: must the connection end after this response? */
  mustClose(): boolean;
  /** The response is complete; `close` says the connection must end after it. */
  responseFinished(close: boolean): void;
}

/** What the response needs to know about its request. */
export interface ResponseContext {
  readonly isHead: boolean;
  readonly versionMinor: number;
  readonly keepAlive: boolean;
}

// A token (RFC 9110 §5.6.2) for names; values may not contain CR, LF or NUL (RFC 9110 §5.5),
// and must be latin1 so that one char is one byte on the wire. Checked when set, so a header
// injection is the caller's TypeError, not a corrupted response.
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
const BAD_VALUE = /[\0\r\n\u0100-\uffff]/;

const CRLF = Buffer.from("\r\n", "latin1");
const LAST_CHUNK = Buffer.from("0\r\n\r\n", "latin1");
const EMPTY = Buffer.alloc(0);
/** The promise of every write the socket took at once: nothing to wait for. */
export const RESOLVED: Promise<void> = Promise.resolve();

/** Bodies up to this size are copied into the same buffer as the head: one write, one packet. */
const COALESCE_BYTES = 16 * 1024;

type Framing = "length" | "chunked" | "close" | "none";

function toBytes(chunk: Uint8Array | string): Uint8Array {
  return typeof chunk === "string" ? Buffer.from(chunk, "utf8") : chunk;
}

/** Checked names, lower-cased: handlers set the same few names on every response. */
const checkedNames = new Map<string, string>();
const MAX_CHECKED_NAMES = 1024;

/** The lower-cased `name` if it is a token. @throws TypeError otherwise. */
function headerKey(name: string): string {
  const known = checkedNames.get(name);
  if (known !== undefined) return known;
  if (!TOKEN.test(name)) throw new TypeError(`invalid header name ${JSON.stringify(name)}`);
  const key = name.toLowerCase();
  if (checkedNames.size < MAX_CHECKED_NAMES) checkedNames.set(name, key);
  return key;
}

function checkValue(name: string, value: HeaderValue): void {
  if (typeof value === "string") {
    if (BAD_VALUE.test(value)) {
      throw new TypeError(`invalid value for header ${name}: ${JSON.stringify(value)}`);
    }
    return;
  }
  const values = Array.isArray(value) ? value : [value];
  for (const v of values) {
    if (typeof v === "number" ? !Number.isFinite(v) : BAD_VALUE.test(String(v))) {
      throw new TypeError(`invalid value for header ${name}: ${JSON.stringify(v)}`);
    }
  }
}

/**
 * The response a handler writes. The head goes out with the first body write (or at `end`),
 * framed by Content-Length when the length is known and by chunked coding otherwise (close-
 * delimited for HTTP/1.0 clients, which cannot read chunked).
 */
export class ServerResponse implements HttpResponse {
  statusCode = 200;
  readonly #headers = new ResponseHeaders();
  #headersSent = false;
  #finished = false;
  #framing: Framing = "none";
  #closeAfter = false;
  #declaredLength = -1;
  #written = 0;
  readonly #sink: ResponseSink;
  readonly #context: ResponseContext;

  constructor(sink: ResponseSink, context: ResponseContext) {
    this.#sink = sink;
    this.#context = context;
  }

  get headersSent(): boolean {
    return this.#headersSent;
  }

  get finished(): boolean {
    return this.#finished;
  }

  setHeader(name: string, value: HeaderValue): this {
    if (this.#headersSent)
      throw new TypeError(`cannot set header ${name}: the head was already sent`);
    const key = headerKey(name);
    checkValue(name, value);
    if (key === "content-length" && !/^\d+$/.test(String(value))) {
      // The framing depends on it: a wrong one would desynchronise the client's next response.
      throw new TypeError(`invalid Content-Length ${JSON.stringify(value)}`);
    }
    this.#headers.set(key, name, value);
    return this;
  }

  getHeader(name: string): HeaderValue | undefined {
    return this.#headers.get(name.toLowerCase());
  }

  hasHeader(name: string): boolean {
    return this.#headers.has(name.toLowerCase());
  }

  removeHeader(name: string): this {
    if (this.#headersSent)
      throw new TypeError(`cannot remove header ${name}: the head was already sent`);
    this.#headers.delete(name.toLowerCase());
    return this;
  }

  writeHead(status: number, headers?: Record<string, HeaderValue>): this {
    if (this.#headersSent) throw new TypeError("writeHead: the head was already sent");
    if (!Number.isInteger(status) || status < 100 || status > 999) {
      throw new RangeError(`invalid status code ${status}`);
    }
    this.statusCode = status;
    if (headers) for (const name of Object.keys(headers)) this.setHeader(name, headers[name]!);
    return this;
  }

  write(chunk: Uint8Array | string): Promise<void> {
    if (this.#finished) return Promise.reject(new TypeError("write after end"));
    const bytes = toBytes(chunk);
    if (!this.#headersSent) {
      const head = this.#head(-1);
      if (bytes.length === 0) return this.#sink.send(head);
      return this.#sink.send(this.#frame(bytes, head));
    }
    if (bytes.length === 0) return RESOLVED;
    return this.#sink.send(this.#frame(bytes));
  }

  end(chunk?: Uint8Array | string): Promise<void> {
    if (this.#finished) return RESOLVED;
    const bytes = chunk === undefined ? EMPTY : toBytes(chunk);
    let sent: Promise<void>;
    if (!this.#headersSent) {
      // The whole body is known: frame it by length, in one write when it is small.
      const head = this.#head(bytes.length, bytes);
      const large = this.#framing !== "none" && bytes.length > COALESCE_BYTES;
      sent = this.#sink.send(large ? [head, this.#count(bytes)] : head);
    } else {
      const parts = this.#frame(bytes);
      if (this.#framing === "chunked") parts.push(LAST_CHUNK);
      sent = parts.length > 0 ? this.#sink.send(parts) : RESOLVED;
    }
    this.#finished = true;
    if (
      this.#declaredLength >= 0 &&
      this.#written !== this.#declaredLength &&
      this.#framing === "length"
    ) {
      // Fewer bytes than promised: the client would wait for the rest forever. Close instead.
      this.#closeAfter = true;
    }
    this.#sink.responseFinished(this.#closeAfter);
    return sent;
  }

  /** Forgets every header set so far and sets `status`: for error responses replacing a failed one. */
  reset(status: number): void {
    if (this.#headersSent) throw new TypeError("reset: the head was already sent");
    this.#headers.clear();
    this.statusCode = status;
  }

  /** Marks the response as ending the connection (sets `Connection: close` if not yet sent). */
  closeConnection(): void {
    this.#closeAfter = true;
    if (!this.#headersSent) this.#headers.set("connection", "Connection", "close");
  }

  /** Frames a body chunk for the wire, after `prefix` when given. */
  #frame(bytes: Uint8Array, prefix?: Uint8Array): Uint8Array[] {
    const parts: Uint8Array[] = prefix ? [prefix] : [];
    if (bytes.length === 0 || this.#framing === "none") return parts;
    const counted = this.#count(bytes);
    if (this.#framing === "chunked") {
      parts.push(Buffer.from(`${counted.length.toString(16)}\r\n`, "latin1"), counted, CRLF);
    } else {
      parts.push(counted);
    }
    return parts;
  }

  #count(bytes: Uint8Array): Uint8Array {
    this.#written += bytes.length;
    if (this.#declaredLength >= 0 && this.#written > this.#declaredLength) {
      this.#written -= bytes.length;
      throw new RangeError(
        `response body exceeds its Content-Length of ${this.#declaredLength} bytes`,
      );
    }
    return bytes;
  }

  /** Serialises the status line and headers, choosing the framing. `knownLength` -1 = unknown. */
  #head(knownLength: number, body: Uint8Array = EMPTY): Buffer {
    this.#headersSent = true;
    const status = this.statusCode;
    const { isHead, versionMinor, keepAlive } = this.#context;
    const headers = this.#headers;
    const connection = headers.get("connection");
    if (
      !keepAlive ||
      (typeof connection === "string" && /\bclose\b/i.test(connection)) ||
      this.#sink.mustClose()
    ) {
      this.#closeAfter = true;
    }
    const bodyless = isBodylessStatus(status);
    const declared = headers.get("content-length");
    if (declared !== undefined) this.#declaredLength = Number(declared);

    if (bodyless) {
      this.#framing = "none";
      if (status !== 304) headers.delete("content-length");
      headers.delete("transfer-encoding");
    } else if (declared !== undefined) {
      this.#framing = isHead ? "none" : "length";
      headers.delete("transfer-encoding");
    } else if (knownLength >= 0) {
      headers.set("content-length", "Content-Length", knownLength);
      this.#declaredLength = knownLength;
      this.#framing = isHead ? "none" : "length";
    } else if (isHead) {
      this.#framing = "none";
    } else if (versionMinor >= 1) {
      headers.set("transfer-encoding", "Transfer-Encoding", "chunked");
      this.#framing = "chunked";
    } else {
      // HTTP/1.0 cannot read chunked coding: the end of the connection ends the body.
      this.#framing = "close";
      this.#closeAfter = true;
    }
    if (this.#closeAfter) headers.set("connection", "Connection", "close");
    else if (versionMinor === 0) headers.set("connection", "Connection", "keep-alive");

    const parts = ["HTTP/1.1 ", String(status), " ", statusText(status), "\r\n"];
    headers.pushLines(parts);
    if (!headers.has("date")) parts.push(dateHeaderLine());
    parts.push("\r\n");
    const text = parts.join("");
    if (this.#framing === "none" || body.length === 0 || body.length > COALESCE_BYTES) {
      return Buffer.from(text, "latin1");
    }
    // A small body goes in the same buffer as the head: one allocation, one write, one packet.
    const out = Buffer.allocUnsafe(text.length + body.length);
    out.write(text, 0, "latin1");
    out.set(this.#count(body), text.length);
    return out;
  }
}

/** The error a write gets once the client has gone: the response can no longer be delivered. */
export function connectionClosedError(): HttpError {
  return new HttpError("WW_HTTP_CONNECTION_CLOSED", "the client closed the connection");
}
