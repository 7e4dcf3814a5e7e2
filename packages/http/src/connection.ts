import type { Socket } from "node:net";
import { dateHeaderLine } from "./date-cache.js";
import { Deadline } from "./deadline.js";
import { HttpError } from "./errors.js";
import { RateMeter } from "./rate-meter.js";
import { type BodySource, IncomingRequest } from "./request.js";
import { RequestParser } from "./request-parser.js";
import { connectionClosedError, RESOLVED, type ResponseSink, ServerResponse } from "./response.js";
import { statusText } from "./status-codes.js";
import { type RequestTarget, scanOriginForm, splitRequestTarget } from "./target.js";
import type {
  Handler,
  HeaderList,
  HttpRequest,
  Limits,
  MinDataRate,
  RequestHead,
  Timeouts,
} from "./types.js";

/** What every connection of one server shares. */
export interface ConnectionSettings {
  readonly handler: Handler;
  readonly limits: Limits;
  readonly timeouts: Timeouts;
  readonly minRequestRate: MinDataRate | false;
  readonly minResponseRate: MinDataRate | false;
  readonly allowBareLf: boolean;
  readonly reportError: (error: unknown) => void;
  /** A handler returned without ending its response (warned about once per server). */
  readonly warnUnended: () => void;
  readonly onUpgrade: TakeOver | undefined;
  readonly onConnect: TakeOver | undefined;
}

/** A hook that takes a socket over from the server (`onUpgrade`, `onConnect`). */
type TakeOver = (request: HttpRequest, socket: Socket, head: Buffer) => void;

/**
 * Where a connection is in its life. Each state has its own deadlines (see `#check`):
 *
 *     fresh ─► head ─► exchange ─► idle ─► head ─► …
 *                 ╲        │  ╲                       any ─► ended ─► closed
 *                  ╲       ▼   ╲─► closing ─► ended
 *
 * - `fresh`: accepted (TLS handshake done), no byte yet. Deadline: `headersMs` from the TCP
 *   accept; at it the connection is closed quietly (nothing was asked).
 * - `idle`: keep-alive between requests, nothing received. Deadline: `idleMs`, closed quietly.
 * - `head`: bytes of a request head have arrived. Deadlines: `headersMs` from its first byte
 *   and the minimum request rate; either answers 408.
 * - `exchange`: a request is in flight; its handler runs while its body may still arrive.
 *   Deadlines: while the handler reads the body, the minimum request rate and `bodyMs` without
 *   bytes (408 to the reader); while a write waits for the client, the minimum response rate
 *   (the connection is cut). A busy handler has no deadline.
 * - `closing`: the exchange goes on but input is over (a parse error or a deadline hit while
 *   its handler ran): its response goes out, then the socket ends.
 * - `ended`: `socket.end()` was called; what is buffered drains to the client under the
 *   minimum response rate, then `idleMs` for the client's FIN.
 * - `closed`: the socket is gone.
 * - `detached`: the socket was handed to `onUpgrade` or `onConnect`; it is theirs now.
 */
export type ConnectionState =
  | "fresh"
  | "idle"
  | "head"
  | "exchange"
  | "closing"
  | "ended"
  | "closed"
  | "detached";

/**
 * Why the parser is not being run (its unparsed input waits in `#pending`):
 * - `body`: the request body's queue is full until the handler reads (backpressure).
 * - `response`: a complete request waits for the response before it (pipelining order).
 * - `drain`: the client does not read its responses; parse on once the socket drains.
 */
type Hold = "none" | "body" | "response" | "drain";

/** An unread body at most this large is read and dropped to keep the connection; larger closes it. */
const MAX_DISCARD_BYTES = 64 * 1024;

const CONTINUE = Buffer.from("HTTP/1.1 100 Continue\r\n\r\n", "latin1");
/** What the parser is given when it has no bytes left but a completion to deliver. */
const NO_BYTES = new Uint8Array(0);
const NEVER = Number.POSITIVE_INFINITY;

/**
 * A request that asks to switch protocols (RFC 9110 §7.8): HTTP/1.1 (an HTTP/1.0 Upgrade MUST
 * be ignored), `Upgrade` present and listed in `Connection`, and no body to read first.
 */
function isUpgrade(head: RequestHead): boolean {
  if (head.versionMinor < 1 || head.bodyKind !== "none" || !head.headers.has("upgrade")) {
    return false;
  }
  const connection = head.headers.get("connection");
  if (connection === undefined) return false;
  for (const token of connection.split(",")) {
    if (token.trim().toLowerCase() === "upgrade") return true;
  }
  return false;
}

/** RFC 9110 §10.1.1: an HTTP/1.0 request's 100-continue expectation is ignored. */
function wantsContinue(request: IncomingRequest): boolean {
  return request.expectContinue && request.versionMinor >= 1;
}

/** One request in flight: the handler runs while its body may still be arriving. */
interface Exchange {
  readonly request: IncomingRequest;
  readonly response: ServerResponse;
  /** The response is done but its body was not read: drop the rest as it arrives. */
  discarding: boolean;
  /** Body bytes dropped so far while discarding. */
  discarded: number;
}

/**
 * One client connection: feeds socket bytes to the parser, runs the handler once per request,
 * one request at a time so that pipelined responses leave in order, and decides when the
 * connection stays open, pauses reading (backpressure) or closes.
 */
export class Connection implements ResponseSink, BodySource {
  readonly #socket: Socket;
  readonly #settings: ConnectionSettings;
  readonly #parser: RequestParser;
  readonly #remoteAddress: string;
  readonly #remotePort: number;
  readonly #secure: boolean;
  readonly #onClosed: (connection: Connection) => void;

  #state: ConnectionState = "fresh";
  #exchange: Exchange | undefined;
  /** No request will be read after the current one (Connection: close, shutdown, an error). */
  #lastRequest = false;
  /** The client half-closed: serve what it sent, then close. */
  #clientEnded = false;
  #hold: Hold = "none";
  /** Bytes received but not yet parsed (the parser is held). */
  #pending: Uint8Array | undefined;
  /** Inside `parser.execute`: callbacks must not re-enter it. */
  #inExecute = false;
  #drainWaiters: Array<{ resolve: () => void; reject: (error: Error) => void }> = [];
  /** Set by #onHead for a request a hook takes over once the parser has stopped. */
  #takeOver: { hook: TakeOver; request: IncomingRequest } | undefined;
  readonly #listeners: Array<[event: string, listener: (chunk: Buffer) => void]>;

  // ---- the clock ----
  readonly #deadline = new Deadline(() => this.#check());
  /** When the current head's deadline started (the TCP accept for the first request). */
  #headSince: number;
  /** When the idle or ended state began. */
  #since = 0;
  /** When the handler began waiting for body bytes with none queued; 0 when it is not waiting. */
  #waitingSince = 0;
  /** Bytes received on this connection so far (the request meter's progress). */
  #received = 0;
  /** Head and body bytes while the server waits for them. */
  readonly #requestRate = new RateMeter();
  /** Response bytes the client takes while the socket's buffer is full. */
  readonly #responseRate = new RateMeter();
  /** Bytes handed to `socket.write` so far (the response meter's progress, with what is buffered). */
  #handed = 0;

  constructor(
    socket: Socket,
    settings: ConnectionSettings,
    secure: boolean,
    acceptedAt: number,
    onClosed: (c: Connection) => void,
  ) {
    this.#socket = socket;
    this.#settings = settings;
    this.#secure = secure;
    this.#onClosed = onClosed;
    this.#remoteAddress = socket.remoteAddress ?? "";
    this.#remotePort = socket.remotePort ?? 0;
    const { limits, allowBareLf } = settings;
    this.#parser = new RequestParser(
      {
        onHead: (head) => this.#onHead(head),
        onBody: (chunk) => this.#onBody(chunk),
        onTrailers: (trailers) => this.#onTrailers(trailers),
        onComplete: () => this.#onComplete(),
      },
      { limits, allowBareLf },
    );
    socket.setNoDelay(true);
    this.#listeners = [
      ["data", (chunk: Buffer) => this.#onData(chunk)],
      ["end", () => this.#onEnd()],
      ["drain", () => this.#onDrain()],
      ["close", () => this.#onClose()],
      ["timeout", () => this.#destroy()],
    ];
    for (const [event, listener] of this.#listeners) socket.on(event, listener);
    // ECONNRESET, EPIPE and friends: the client went away. `close` follows and cleans up.
    // (Kept after a take-over too: a hook that forgets errors must not crash the process.)
    socket.on("error", () => {});
    // The head's deadline runs from the TCP connection's start (a TLS handshake spends it too).
    this.#headSince = acceptedAt;
    this.#check();
  }

  /** The connection's state (for tests and diagnostics). */
  get state(): ConnectionState {
    return this.#state;
  }

  /** True when no request is in progress: closing now loses nothing. */
  get idle(): boolean {
    return this.#exchange === undefined && this.#parser.idle && this.#pending === undefined;
  }

  /** Input is over: bytes that arrive are ignored. */
  get #inputOver(): boolean {
    const state = this.#state;
    return state === "closing" || state === "ended" || state === "closed" || state === "detached";
  }

  /** Server shutdown: close now if idle, otherwise after the response in progress. */
  shutdown(): void {
    this.#lastRequest = true;
    if (this.idle) this.#end();
  }

  // ---- input -------------------------------------------------------------------------------

  #onData(chunk: Buffer): void {
    if (this.#inputOver) return;
    this.#received += chunk.length;
    const state = this.#state;
    if (state === "idle" || state === "fresh") {
      this.#state = "head";
      // The first request's head deadline runs from the accept; its rate from its first byte.
      const now = Date.now();
      if (state === "idle") this.#headSince = now;
      this.#requestRate.start(now, this.#received - chunk.length);
      this.#check(now);
    } else if (this.#waitingSince !== 0) {
      // Body bytes arrived while the server waits for them: `bodyMs` counts from the last.
      this.#waitingSince = Date.now();
    }
    if (this.#pending) {
      // Only when held; the socket is paused too, so this is at most one more chunk.
      this.#pending = Buffer.concat([this.#pending, chunk]);
    } else {
      this.#pending = chunk;
    }
    this.#pumpCorked();
  }

  /**
   * Parses with the socket corked: responses that handlers finish synchronously (all of a
   * pipelined batch, for simple handlers) leave in one writev instead of one write each.
   */
  #pumpCorked(): void {
    const socket = this.#socket;
    socket.cork();
    try {
      this.#pump();
    } finally {
      socket.uncork();
    }
  }

  /** Parses pending bytes until they run out or a callback holds the parser. */
  #pump(): void {
    while (
      (this.#pending || this.#parser.completionPending) &&
      this.#hold === "none" &&
      !this.#inputOver
    ) {
      // No bytes but a completion the parser held back (the body's last piece filled the queue).
      const input = this.#pending ?? NO_BYTES;
      let consumed: number;
      this.#inExecute = true;
      try {
        consumed = this.#parser.execute(input);
      } catch (error) {
        this.#inExecute = false;
        this.#pending = undefined;
        this.#onParseError(error);
        return;
      }
      this.#inExecute = false;
      this.#pending = consumed < input.length ? input.subarray(consumed) : undefined;
    }
    if (this.#state === "detached") {
      this.#detach();
      return;
    }
    if (this.#state === "closed") return;
    if (this.#pending) {
      this.#socket.pause();
      return;
    }
    this.#socket.resume();
    if (this.#state === "head" && this.#exchange === undefined && this.#parser.idle) {
      // Every byte was a complete request, answered during execute: the connection is idle.
      this.#toIdle();
    }
    if (this.#clientEnded && this.#hold === "none" && !this.#inputOver) this.#checkEnded();
  }

  /** All input has been parsed after the client half-closed: a partial message is an error. */
  #checkEnded(): void {
    try {
      this.#parser.finish();
    } catch (error) {
      this.#onParseError(error);
      return;
    }
    if (this.#exchange === undefined) this.#end();
  }

  #onEnd(): void {
    // The client finished sending. Requests it already sent still get their responses.
    this.#clientEnded = true;
    const exchange = this.#exchange;
    if (exchange?.response.headersSent && !exchange.response.finished) {
      // A FIN while a response streams is how a browser or EventSource leaves; without this, a
      // handler that waits between writes would only learn of it at its next write.
      exchange.request.abort();
    }
    if (this.#inputOver) return;
    if (this.#pending === undefined && this.#hold === "none") this.#checkEnded();
  }

  #onHead(head: RequestHead): false | undefined {
    if (head.method === "CONNECT") return this.#onConnectRequest(head);
    // The strict split, the same as @wireweb/url's splitTarget; origin-form without allocating.
    let split: number | RequestTarget | undefined = scanOriginForm(head.target);
    if (split === -1) {
      split = splitRequestTarget(head.target);
      if (split === undefined) {
        this.#refuse(
          new HttpError(
            "WW_HTTP_INVALID_TARGET",
            "the request-target is not an http(s) target this server can serve",
          ),
        );
        return false;
      }
    }
    this.#state = "exchange";
    this.#requestRate.stop();
    const request = this.#newRequest(head, split);
    const onUpgrade = this.#settings.onUpgrade;
    if (onUpgrade && isUpgrade(head)) {
      // The parser stops here; the bytes after the head go to the hook with the socket.
      this.#takeOver = { hook: onUpgrade, request };
      this.#state = "detached";
      return false;
    }
    const response = new ServerResponse(this, {
      isHead: head.method === "HEAD",
      versionMinor: head.versionMinor,
      keepAlive: head.keepAlive && !this.#lastRequest,
    });
    const exchange: Exchange = { request, response, discarding: false, discarded: 0 };
    this.#exchange = exchange;
    if (this.#lastRequest) response.closeConnection();
    this.#run(exchange);
    return undefined;
  }

  #newRequest(head: RequestHead, split: number | RequestTarget): IncomingRequest {
    return new IncomingRequest(
      head,
      split,
      this,
      this.#remoteAddress,
      this.#remotePort,
      this.#secure,
      this.#settings.limits.maxBodyBytes,
    );
  }

  /**
   * CONNECT asks for a tunnel (RFC 9110 §9.3.6): `onConnect` takes the socket over, or the
   * answer is 501 and the connection closes. Either way the parser stops at the head, so no
   * byte after it is ever read as a request.
   */
  #onConnectRequest(head: RequestHead): false {
    const onConnect = this.#settings.onConnect;
    if (!onConnect) {
      this.#refuse(
        new HttpError("WW_HTTP_CONNECT_UNSUPPORTED", "this server does not open tunnels (CONNECT)"),
      );
      return false;
    }
    this.#requestRate.stop();
    const request = this.#newRequest(head, { path: "", query: "" });
    this.#takeOver = { hook: onConnect, request };
    this.#state = "detached";
    return false;
  }

  /** Answers a request the handler never sees with `error`'s status, then closes. */
  #refuse(error: HttpError): void {
    this.#lastRequest = true;
    this.#sendError(error.status, error.message);
  }

  /**
   * Hands the socket to the hook that took the request over: the server stops reading it,
   * forgets its deadlines and no longer counts it (it is not an HTTP connection any more).
   */
  #detach(): void {
    const takeOver = this.#takeOver!;
    this.#takeOver = undefined;
    const head = this.#pending ? Buffer.from(this.#pending) : Buffer.alloc(0);
    this.#pending = undefined;
    this.#deadline.clear();
    const socket = this.#socket;
    for (const [event, listener] of this.#listeners) socket.off(event, listener);
    socket.setTimeout(0);
    // As node:http does: the hook's first "data" listener starts the flow again.
    (socket as { readableFlowing: boolean | null }).readableFlowing = null;
    this.#onClosed(this);
    try {
      takeOver.hook(takeOver.request, socket, head);
    } catch (error) {
      this.#settings.reportError(error);
      socket.destroy();
    }
  }

  #onBody(chunk: Uint8Array): false | undefined {
    const exchange = this.#exchange;
    if (!exchange) return undefined;
    if (exchange.discarding) {
      exchange.discarded += chunk.length;
      if (exchange.discarded <= MAX_DISCARD_BYTES) return undefined;
      // A chunked body longer than we are willing to read for nothing: close instead.
      this.#lastRequest = true;
      this.#end();
      return false;
    }
    if (exchange.request.push(chunk)) return undefined;
    // The queue is full: the handler is behind, so the client is not to blame for the wait.
    this.#hold = "body";
    this.#requestRate.pause(Date.now(), this.#received);
    return false;
  }

  #onTrailers(trailers: HeaderList): void {
    this.#exchange?.request.finishBody(trailers);
  }

  #onComplete(): false | undefined {
    const exchange = this.#exchange;
    if (!exchange) return undefined;
    exchange.request.finishBody();
    this.#requestRate.stop();
    this.#waitingSince = 0;
    if (exchange.response.finished) {
      this.#next();
      return this.#lastRequest || this.#mustWaitForDrain() ? false : undefined;
    }
    // Pipelining: the next request waits until this response has gone out.
    this.#hold = "response";
    return false;
  }

  #onParseError(error: unknown): void {
    const exchange = this.#exchange;
    const httpError = HttpError.is(error)
      ? error
      : new HttpError("WW_HTTP_INCOMPLETE_MESSAGE", "the request could not be parsed");
    if (!HttpError.is(error)) this.#settings.reportError(error);
    if (exchange && !exchange.response.finished) {
      // The body of the request in flight is broken: its reader gets the error, and the
      // connection closes after whatever response the handler manages to send.
      this.#toClosing(exchange, httpError);
      return;
    }
    this.#exchange = undefined;
    this.#sendError(httpError.status, httpError.message);
  }

  /** Input is over while `exchange`'s handler runs: its reader gets `error`. */
  #toClosing(exchange: Exchange, error: HttpError): void {
    this.#state = "closing";
    this.#lastRequest = true;
    this.#requestRate.stop();
    this.#waitingSince = 0;
    exchange.response.closeConnection();
    exchange.request.fail(error);
  }

  // ---- the handler --------------------------------------------------------------------------

  #run(exchange: Exchange): void {
    let result: void | Promise<void>;
    try {
      result = this.#settings.handler(exchange.request, exchange.response);
    } catch (error) {
      this.#handlerFailed(exchange, error);
      return;
    }
    // A handler that returns an already-settled write (what `end()` and `write()` return when
    // the socket took the bytes at once) has nothing left to wait for: no microtask for it.
    if (result !== RESOLVED && result && typeof result.then === "function") {
      result.then(
        () => this.#handlerDone(exchange),
        (error: unknown) => this.#handlerFailed(exchange, error),
      );
    } else {
      this.#handlerDone(exchange);
    }
  }

  #handlerDone(exchange: Exchange): void {
    if (exchange.response.finished || this.#state === "closed") return;
    // A handler that returns without ending its response would leave the client waiting.
    this.#settings.warnUnended();
    exchange.response.end().catch(() => {});
  }

  #handlerFailed(exchange: Exchange, error: unknown): void {
    const { response } = exchange;
    if (this.#state === "closed") return; // the client left; nothing to answer or report
    if (response.headersSent) {
      // Part of the response is on the wire: the only honest end is to cut the connection.
      if (!(HttpError.is(error) && error.code === "WW_HTTP_CONNECTION_CLOSED")) {
        this.#settings.reportError(error);
      }
      this.#destroy();
      return;
    }
    const known = HttpError.is(error) && error.status >= 400 && error.status < 600;
    if (!known) this.#settings.reportError(error);
    const status = known ? error.status : 500;
    const message = known ? error.message : "the server failed to handle the request";
    response.reset(status);
    response.closeConnection();
    response.setHeader("Content-Type", "text/plain; charset=utf-8");
    response.end(`${status} ${statusText(status)}: ${message}\n`).catch(() => {});
  }

  // ---- ResponseSink ---------------------------------------------------------------------------

  send(data: Uint8Array | readonly Uint8Array[]): Promise<void> {
    if (this.#state === "closed" || this.#socket.writableEnded)
      return Promise.reject(connectionClosedError());
    const socket = this.#socket;
    // Progress before this write: the kernel may take the bytes within write() itself, and
    // that is progress made while the server waited, to be counted in the rate.
    const flushedBefore = this.#handed - socket.writableLength;
    let ok: boolean;
    if (data instanceof Uint8Array) {
      this.#handed += data.length;
      ok = socket.write(data);
    } else {
      socket.cork();
      ok = true;
      for (const part of data) {
        this.#handed += part.length;
        ok = socket.write(part) && ok;
      }
      socket.uncork();
    }
    if (ok) return RESOLVED;
    if (this.#drainWaiters.length === 0) {
      // A client that takes no bytes at all while the handler waits to write would hold the
      // connection and the handler forever: give it `bodyMs` of inactivity, then drop it.
      socket.setTimeout(this.#settings.timeouts.bodyMs);
      this.#watchResponse(flushedBefore);
    }
    return new Promise((resolve, reject) => this.#drainWaiters.push({ resolve, reject }));
  }

  mustClose(): boolean {
    if (this.#lastRequest) return true;
    const request = this.#exchange?.request;
    // A body the handler is reading is judged when the response ends; one it has not touched
    // decides now, so that the client reads `Connection: close` rather than a reset.
    if (!request || request.bodyComplete || request.bodyRequested) return false;
    return this.#cannotDiscard(request);
  }

  /**
   * Whether the unread rest of `request`'s body is too large, or too uncertain, to drop. A
   * chunked body's size is unknown until it ends: it is dropped up to MAX_DISCARD_BYTES.
   */
  #cannotDiscard(request: IncomingRequest): boolean {
    const remaining = request.bodyKind === "length" ? request.contentLength - request.received : 0;
    // A client that sent Expect: 100-continue and never got a 100 may never send the body.
    const waitingForContinue = wantsContinue(request) && !request.bodyRequested;
    return waitingForContinue || remaining > MAX_DISCARD_BYTES;
  }

  responseFinished(close: boolean): void {
    const exchange = this.#exchange;
    if (!exchange) return;
    if (close) this.#lastRequest = true;
    const { request } = exchange;
    if (!request.bodyComplete) {
      // The handler answered without reading the whole body: keep the connection only if the
      // rest is small and surely coming.
      if (this.#lastRequest || this.#cannotDiscard(request)) {
        this.#lastRequest = true;
        this.#end();
        return;
      }
      exchange.discarding = true;
      request.discardQueued();
      // Now the server waits for the rest of the body: the client's rate counts.
      const now = Date.now();
      this.#requestRate.start(now, this.#received);
      this.#waitingSince = now;
      const held = this.#hold === "body";
      this.#hold = "none";
      if (held && !this.#inExecute) this.#pump();
      this.#check(now);
      return;
    }
    if (this.#inExecute) return; // #onComplete sees `finished` and moves on itself
    this.#next();
    if (this.#lastRequest || this.#mustWaitForDrain()) return;
    this.#hold = "none";
    this.#pumpCorked();
  }

  /**
   * A client that pipelines requests but does not read the answers must not make us buffer
   * them: with the socket's buffer full, the next request waits for it to drain (under the
   * minimum response rate, and `bodyMs` at most without progress, like a write that waits).
   */
  #mustWaitForDrain(): boolean {
    if (!this.#socket.writableNeedDrain) return false;
    if (this.#hold !== "drain" && this.#drainWaiters.length === 0) {
      this.#socket.setTimeout(this.#settings.timeouts.bodyMs);
      this.#watchResponse();
    }
    this.#hold = "drain";
    return true;
  }

  /** The current exchange is over: close, or wait for the next request. */
  #next(): void {
    this.#exchange = undefined;
    if (this.#lastRequest || (this.#clientEnded && this.#pending === undefined)) {
      this.#end();
      return;
    }
    if (this.#pending) {
      this.#state = "head";
      const now = Date.now();
      this.#headSince = now;
      this.#requestRate.start(now, this.#received - this.#pending.length);
      this.#check(now);
    } else {
      this.#toIdle();
    }
  }

  #toIdle(): void {
    this.#state = "idle";
    const now = Date.now();
    this.#since = now;
    this.#check(now);
  }

  // ---- BodySource ----------------------------------------------------------------------------

  startReading(request: IncomingRequest): void {
    const exchange = this.#exchange;
    if (!exchange || exchange.request !== request) return;
    if (request.bodyComplete) return;
    if (wantsContinue(request) && !exchange.response.headersSent) {
      this.#handed += CONTINUE.length;
      this.#socket.write(CONTINUE);
    }
    // The server now waits for the body: from here on the client's rate counts.
    this.#requestRate.start(Date.now(), this.#received);
    if (this.#hold === "body") this.#requestRate.pause(Date.now(), this.#received);
  }

  wantMore(): void {
    if (this.#hold !== "body" || this.#inExecute) return;
    this.#hold = "none";
    this.#requestRate.resume(Date.now(), this.#received);
    this.#pump();
  }

  waiting(waiting: boolean): void {
    if (this.#inputOver) return;
    if (!waiting) {
      this.#waitingSince = 0;
      return;
    }
    const now = Date.now();
    this.#waitingSince = now;
    this.#check(now);
  }

  // ---- deadlines and closing -------------------------------------------------------------------

  /** The response waits for the client to read: from here on its rate counts. */
  #watchResponse(flushed = this.#flushed()): void {
    const now = Date.now();
    this.#responseRate.resume(now, flushed);
    this.#check(now);
  }

  /**
   * Response bytes the client has taken so far: handed to the socket minus still buffered.
   * What the kernel's socket buffers hold counts as taken; the client cannot be seen past them.
   */
  #flushed(): number {
    return this.#handed - this.#socket.writableLength;
  }

  /**
   * Reads the current state's deadlines: acts on the first that has passed, or makes sure the
   * timer fires by the earliest. Called on every state change and when the timer fires; data
   * arriving in between only moves counters.
   */
  #check(now = Date.now()): void {
    const { headersMs, idleMs, bodyMs } = this.#settings.timeouts;
    const { minRequestRate, minResponseRate } = this.#settings;
    const state = this.#state;
    let at = NEVER;
    if (state === "fresh") {
      at = this.#headSince + headersMs;
      if (now >= at) {
        // nothing was asked; nothing to answer
        this.#end();
        return;
      }
    } else if (state === "idle") {
      at = this.#since + idleMs;
      if (now >= at) {
        this.#end();
        return;
      }
    } else if (state === "head") {
      at = Math.min(
        this.#headSince + headersMs,
        this.#requestRate.deadline(minRequestRate, this.#received),
      );
      if (now >= at) {
        this.#timedOut("the request head did not arrive in time");
        return;
      }
    } else if (state === "closed") {
      return;
    } else {
      // exchange, closing, ended: the body may be awaited, the response may await the client.
      if (state === "exchange") {
        at = Math.min(
          this.#waitingSince === 0 ? NEVER : this.#waitingSince + bodyMs,
          this.#requestRate.deadline(minRequestRate, this.#received),
        );
        if (now >= at) {
          this.#timedOut("the request body did not arrive in time");
          return;
        }
      }
      const response = this.#responseRate.deadline(minResponseRate, this.#flushed());
      if (now >= response) {
        this.#cut(); // too slow a reader: nothing more can be sent
        return;
      }
      at = Math.min(at, response);
      if (state === "ended" && !this.#responseRate.running) {
        // Everything was handed over: the client gets `idleMs` to finish and close.
        const linger = this.#since + idleMs;
        if (now >= linger) {
          this.#cut();
          return;
        }
        at = Math.min(at, linger);
      }
    }
    this.#deadline.set(at, now);
  }

  /** A head or body deadline passed: 408 where a response can still be sent, then close. */
  #timedOut(message: string): void {
    const error = new HttpError("WW_HTTP_TIMEOUT", message);
    const exchange = this.#exchange;
    if (exchange && !exchange.response.finished) {
      this.#toClosing(exchange, error);
      return;
    }
    if (exchange?.discarding) {
      this.#lastRequest = true;
      this.#end();
      return;
    }
    this.#sendError(408, message);
  }

  /** Answers a request that never reached a handler, then closes. */
  #sendError(status: number, message: string): void {
    const body = `${status} ${statusText(status)}: ${message}\n`;
    const head =
      `HTTP/1.1 ${status} ${statusText(status)}\r\n` +
      "Content-Type: text/plain; charset=utf-8\r\n" +
      `Content-Length: ${Buffer.byteLength(body)}\r\n` +
      "Connection: close\r\n" +
      dateHeaderLine() +
      "\r\n";
    if (this.#state !== "closed") {
      const text = head + body; // ASCII: one char is one byte
      this.#handed += text.length;
      this.#socket.write(text, "latin1");
    }
    this.#end();
  }

  /** Ends the connection after everything written so far has been flushed. */
  #end(): void {
    const state = this.#state;
    if (state === "ended" || state === "closed") return;
    this.#state = "ended";
    this.#requestRate.stop();
    this.#waitingSince = 0;
    const socket = this.#socket;
    socket.end();
    const now = Date.now();
    this.#since = now;
    // A client that never reads would keep a half-closed socket forever: what is still
    // buffered must be read at the minimum response rate, then it has `idleMs` to close.
    if (socket.writableLength > 0) {
      this.#responseRate.resume(now, this.#flushed());
      socket.once("finish", () => {
        const flushedAt = Date.now();
        this.#responseRate.pause(flushedAt, this.#flushed());
        this.#since = flushedAt;
        this.#check(flushedAt);
      });
    }
    this.#check(now);
  }

  #destroy(): void {
    if (this.#state !== "closed") this.#socket.destroy();
  }

  /**
   * Cuts a client that does not read: with a reset (RST), so that the kernel drops what is
   * still unsent instead of trickling it out, on its own, to a client reading a few bytes at a
   * time (slowhttptest -X). TLS sockets cannot reset through node:tls; they are destroyed.
   */
  #cut(): void {
    if (this.#state === "closed") return;
    const socket = this.#socket;
    if (this.#secure) socket.destroy();
    else socket.resetAndDestroy();
  }

  #onDrain(): void {
    const wasHeld = this.#hold === "drain";
    if (this.#drainWaiters.length > 0 || wasHeld) this.#socket.setTimeout(0);
    this.#responseRate.pause(Date.now(), this.#flushed());
    const waiters = this.#drainWaiters;
    this.#drainWaiters = [];
    for (const waiter of waiters) waiter.resolve();
    if (wasHeld) {
      if (this.#inputOver || this.#exchange !== undefined) return;
      this.#hold = "none";
      this.#pumpCorked();
    }
  }

  #onClose(): void {
    this.#state = "closed";
    this.#deadline.clear();
    const exchange = this.#exchange;
    if (exchange && !exchange.response.finished) exchange.request.abort();
    const waiters = this.#drainWaiters;
    this.#drainWaiters = [];
    for (const waiter of waiters) waiter.reject(connectionClosedError());
    this.#onClosed(this);
  }
}
