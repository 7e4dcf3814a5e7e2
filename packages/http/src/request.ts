import { HttpError } from "./errors.js";
import { AuthorityHeaderList } from "./header-list.js";
import type { RequestTarget } from "./target.js";
import type { HeaderList, HttpRequest, RequestHead } from "./types.js";

/** What a request needs from its connection to read its body on demand. */
export interface BodySource {
  /** The handler started reading: send `100 Continue` if the client asked and nothing was sent yet. */
  startReading(request: IncomingRequest): void;
  /** The queue drained below the low-water mark: parse and read more from the socket. */
  wantMore(): void;
  /** The handler waits for bytes: run (or stop, with false) the body timeout. */
  waiting(waiting: boolean): void;
}

/** Queued body bytes above which the parser pauses (and so the socket stops being read). */
const HIGH_WATER_BYTES = 64 * 1024;

const EMPTY = new Uint8Array(0);

/**
 * One request as a handler sees it: the parsed head plus a body that is read from the socket
 * only as fast as the handler consumes it.
 */
export class IncomingRequest implements HttpRequest {
  readonly method: string;
  readonly target: string;
  readonly versionMinor: number;
  readonly headers: HeaderList;
  readonly keepAlive: boolean;
  readonly expectContinue: boolean;
  readonly bodyKind: "none" | "length" | "chunked";
  readonly contentLength: number;
  readonly remoteAddress: string;
  readonly remotePort: number;
  readonly secure: boolean;
  /** Trailer fields of a chunked body, once it has been read in full. */
  trailers: HeaderList | undefined;

  readonly #head: RequestHead;
  /** The "?" index of an origin-form target (its length without a query), or its full split. */
  readonly #split: number | RequestTarget;
  #path: string | undefined;
  #query = "";
  #controller: AbortController | undefined;
  #aborted = false;
  readonly #source: BodySource;
  readonly #maxBodyBytes: number;

  // Body queue, filled by the connection as the parser produces pieces.
  #chunks: Uint8Array[] = [];
  #queued = 0;
  #complete: boolean;
  #error: Error | undefined;
  #wake: (() => void) | undefined;
  #reading = false;
  /** Body bytes delivered so far (the queue is dropped once the response is done). */
  received = 0;

  /**
   * @param split what the server's strict split found: the "?" index of an origin-form target
   *   (`scanOriginForm`), or the whole split of another form (`splitRequestTarget`).
   */
  constructor(
    head: RequestHead,
    split: number | RequestTarget,
    source: BodySource,
    remoteAddress: string,
    remotePort: number,
    secure: boolean,
    maxBodyBytes: number,
  ) {
    this.method = head.method;
    this.target = head.target;
    this.versionMinor = head.versionMinor;
    this.#split = split;
    this.headers =
      typeof split === "object" && split.authority !== undefined
        ? new AuthorityHeaderList(head.headers, split.authority)
        : head.headers;
    this.#head = head;
    this.keepAlive = head.keepAlive;
    this.expectContinue = head.expectContinue;
    this.bodyKind = head.bodyKind;
    this.contentLength = head.contentLength;
    this.remoteAddress = remoteAddress;
    this.remotePort = remotePort;
    this.secure = secure;
    this.#source = source;
    this.#maxBodyBytes = maxBodyBytes;
    this.#complete = head.bodyKind === "none" || head.contentLength === 0;
  }

  /** The request line and header section as received (a view made on first use). */
  get raw(): Uint8Array {
    return this.#head.raw;
  }

  get path(): string {
    if (this.#path === undefined) {
      const split = this.#split;
      const target = this.target;
      if (typeof split === "object") {
        this.#path = split.path;
        this.#query = split.query;
      } else if (split === target.length) {
        this.#path = target;
      } else {
        this.#path = target.slice(0, split);
        this.#query = target.slice(split + 1);
      }
    }
    return this.#path;
  }

  get query(): string {
    if (this.#path === undefined) void this.path;
    return this.#query;
  }

  get httpVersion(): string {
    return this.versionMinor === 0 ? "HTTP/1.0" : "HTTP/1.1";
  }

  /** Created on first use: most requests never look at it. */
  get signal(): AbortSignal {
    if (!this.#controller) {
      this.#controller = new AbortController();
      if (this.#aborted)
        this.#controller.abort(
          new HttpError("WW_HTTP_CONNECTION_CLOSED", "the client closed the connection"),
        );
    }
    return this.#controller.signal;
  }

  /** Whether every body byte has arrived. */
  get bodyComplete(): boolean {
    return this.#complete;
  }

  /** Whether the handler has started to read the body. */
  get bodyRequested(): boolean {
    return this.#reading;
  }

  async body(options: { limit?: number } = {}): Promise<Uint8Array> {
    const limit = options.limit ?? this.#maxBodyBytes;
    if (this.contentLength > limit) throw tooLarge(limit);
    const chunks: Uint8Array[] = [];
    let total = 0;
    for await (const chunk of this) {
      total += chunk.length;
      if (total > limit) throw tooLarge(limit);
      chunks.push(chunk);
    }
    if (chunks.length === 0) return EMPTY;
    if (chunks.length === 1) return chunks[0]!;
    return Buffer.concat(chunks, total);
  }

  async text(options: { limit?: number } = {}): Promise<string> {
    const bytes = await this.body(options);
    return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("utf8");
  }

  async *[Symbol.asyncIterator](): AsyncIterator<Uint8Array> {
    if (this.#reading) throw new TypeError("the request body can be read only once");
    this.#reading = true;
    this.#source.startReading(this);
    for (;;) {
      const chunk = this.#chunks.shift();
      if (chunk) {
        const wasFull = this.#queued >= HIGH_WATER_BYTES;
        this.#queued -= chunk.length;
        if (wasFull && this.#queued < HIGH_WATER_BYTES) this.#source.wantMore();
        yield chunk;
        continue;
      }
      if (this.#error) throw this.#error;
      if (this.#complete) return;
      this.#source.waiting(true);
      // The connection may act at once on a deadline already past (failing this request):
      // look again before waiting for a wake-up that would then never come.
      if (this.#error === undefined && this.#chunks.length === 0 && !this.#complete) {
        await new Promise<void>((resolve) => {
          this.#wake = resolve;
        });
      }
      this.#source.waiting(false);
    }
  }

  /** A piece of body from the parser. Returns false when the queue is full (pause the parser). */
  push(chunk: Uint8Array): boolean {
    this.received += chunk.length;
    this.#chunks.push(chunk);
    this.#queued += chunk.length;
    this.#notify();
    return this.#queued < HIGH_WATER_BYTES;
  }

  /** The parser reached the end of the body. */
  finishBody(trailers?: HeaderList): void {
    this.#complete = true;
    if (trailers) this.trailers = trailers;
    this.#notify();
  }

  /** Drops queued body bytes nobody will read (the response is already complete). */
  discardQueued(): void {
    this.#chunks = [];
    this.#queued = 0;
  }

  /** Readers of the body get `error` (a timeout, a framing error, a closed connection). */
  fail(error: Error): void {
    if (!this.#error) this.#error = error;
    this.#notify();
  }

  /** The connection closed before the response was complete. */
  abort(): void {
    this.#aborted = true;
    const error = new HttpError("WW_HTTP_CONNECTION_CLOSED", "the client closed the connection");
    this.#controller?.abort(error);
    this.fail(error);
  }

  #notify(): void {
    const wake = this.#wake;
    if (wake) {
      this.#wake = undefined;
      wake();
    }
  }
}

function tooLarge(limit: number): HttpError {
  return new HttpError("WW_HTTP_BODY_TOO_LARGE", `the request body is larger than ${limit} bytes`);
}
