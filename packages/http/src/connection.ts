import type { Socket } from "node:net";
import { dateHeaderLine } from "./date-cache.js";
import { HttpError } from "./errors.js";
import { type BodySource, IncomingRequest } from "./request.js";
import { RequestParser } from "./request-parser.js";
import { connectionClosedError, RESOLVED, type ResponseSink, ServerResponse } from "./response.js";
import { statusText } from "./status-codes.js";
import type { Handler, HeaderList, Limits, RequestHead, Timeouts } from "./types.js";

/** What every connection of one server shares. */
export interface ConnectionSettings {
  readonly handler: Handler;
  readonly limits: Limits;
  readonly timeouts: Timeouts;
  readonly allowBareLf: boolean;
  readonly reportError: (error: unknown) => void;
  /** A handler returned without ending its response (warned about once per server). */
  readonly warnUnended: () => void;
}

/** An unread body at most this large is read and dropped to keep the connection; larger closes it. */
const MAX_DISCARD_BYTES = 64 * 1024;

const CONTINUE = Buffer.from("HTTP/1.1 100 Continue\r\n\r\n", "latin1");
/** What the parser is given when it has no bytes left but a completion to deliver. */
const NO_BYTES = new Uint8Array(0);

/** RFC 9110 §10.1.1: an HTTP/1.0 request's 100-continue expectation is ignored. */
function wantsContinue(request: IncomingRequest): boolean {
  return request.expectContinue && request.versionMinor >= 1;
}

type TimerMode = "none" | "idle" | "headers" | "body";

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

  #exchange: Exchange | undefined;
  /** Bytes received but not yet parsed (the parser paused). */
  #pending: Uint8Array | undefined;
  /** The parser was paused by a callback; `#pump` will not run it until this clears. */
  #blocked = false;
  #inExecute = false;
  /** No more requests will be read: close once the current response is out. */
  #closing = false;
  /** Input is over (error, close decided): bytes that arrive are ignored. */
  #inputDone = false;
  #destroyed = false;
  #everReceived = false;
  /** The client half-closed: serve what it sent, then close. */
  #clientEnded = false;

  #timer: NodeJS.Timeout | undefined;
  #timerMode: TimerMode = "none";
  /** When the current mode times out (ms since the epoch). */
  #deadline = 0;
  /** When the scheduled timer fires; it may fire early and re-arm itself for `#deadline`. */
  #timerDue = 0;
  /** Parsing waits for the socket to drain (see #mustWaitForDrain). */
  #drainToParse = false;
  #drainWaiters: Array<{ resolve: () => void; reject: (error: Error) => void }> = [];

  constructor(
    socket: Socket,
    settings: ConnectionSettings,
    secure: boolean,
    acceptedAt: number,
    onClosed: (c: Connection) => void,
  ) {
    this.#socket = socket;
    this.#secure = secure;
    this.#settings = settings;
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
    socket.on("data", (chunk: Buffer) => this.#onData(chunk));
    socket.on("end", () => this.#onEnd());
    socket.on("drain", () => this.#onDrain());
    socket.on("close", () => this.#onClose());
    socket.on("timeout", () => this.#destroy());
    // ECONNRESET, EPIPE and friends: the client went away. `close` follows and cleans up.
    socket.on("error", () => {});
    // The head's deadline runs from the TCP connection's start (a TLS handshake spends it too).
    this.#arm("headers", acceptedAt);
  }

  /** True when no request is in progress: closing now loses nothing. */
  get idle(): boolean {
    return this.#exchange === undefined && this.#parser.idle && this.#pending === undefined;
  }

  /** Server shutdown: close now if idle, otherwise after the response in progress. */
  shutdown(): void {
    this.#closing = true;
    if (this.idle) this.#end();
  }

  // ---- input -------------------------------------------------------------------------------

  #onData(chunk: Buffer): void {
    if (this.#inputDone) return;
    this.#everReceived = true;
    if (this.#exchange === undefined && this.#timerMode === "idle") this.#arm("headers");
    if (this.#pending) {
      // Only when paused; the socket is paused too, so this is at most one more chunk.
      this.#pending = Buffer.concat([this.#pending, chunk]);
    } else {
      this.#pending = chunk;
    }
    if (this.#timerMode === "body") this.#deadline = Date.now() + this.#settings.timeouts.bodyMs;
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

  /** Parses pending bytes until they run out or a callback pauses the parser. */
  #pump(): void {
    while (
      (this.#pending || this.#parser.completionPending) &&
      !this.#blocked &&
      !this.#inputDone
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
    if (this.#destroyed) return;
    if (this.#pending) {
      this.#socket.pause();
      return;
    }
    this.#socket.resume();
    if (this.#timerMode === "headers" && this.#exchange === undefined && this.#parser.idle) {
      // Every byte was a complete request, answered during execute: the connection is idle.
      if (this.#everReceived) this.#arm("idle");
    }
    if (this.#clientEnded && !this.#blocked && !this.#inputDone) this.#checkEnded();
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
    if (this.#inputDone) return;
    if (this.#pending === undefined && !this.#blocked) this.#checkEnded();
  }

  #onHead(head: RequestHead): void {
    this.#arm("none");
    const request = new IncomingRequest(
      head,
      this,
      this.#remoteAddress,
      this.#remotePort,
      this.#secure,
      this.#settings.limits.maxBodyBytes,
    );
    const response = new ServerResponse(this, {
      isHead: head.method === "HEAD",
      versionMinor: head.versionMinor,
      keepAlive: head.keepAlive && !this.#closing,
    });
    const exchange: Exchange = { request, response, discarding: false, discarded: 0 };
    this.#exchange = exchange;
    if (this.#closing) response.closeConnection();
    this.#run(exchange);
  }

  #onBody(chunk: Uint8Array): false | undefined {
    const exchange = this.#exchange;
    if (!exchange) return undefined;
    if (exchange.discarding) {
      exchange.discarded += chunk.length;
      if (exchange.discarded <= MAX_DISCARD_BYTES) return undefined;
      // A chunked body longer than we are willing to read for nothing: close instead.
      this.#closing = true;
      this.#end();
      return false;
    }
    if (exchange.request.push(chunk)) return undefined;
    this.#blocked = true;
    return false;
  }

  #onTrailers(trailers: HeaderList): void {
    this.#exchange?.request.finishBody(trailers);
  }

  #onComplete(): false | undefined {
    const exchange = this.#exchange;
    if (!exchange) return undefined;
    exchange.request.finishBody();
    if (exchange.response.finished) {
      this.#next();
      return this.#closing || this.#mustWaitForDrain() ? false : undefined;
    }
    // Pipelining: the next request waits until this response has gone out.
    this.#blocked = true;
    return false;
  }

  #onParseError(error: unknown): void {
    this.#inputDone = true;
    const exchange = this.#exchange;
    const httpError =
      error instanceof HttpError
        ? error
        : new HttpError("ERR_INCOMPLETE_MESSAGE", 400, "the request could not be parsed");
    if (!(error instanceof HttpError)) this.#settings.reportError(error);
    if (exchange && !exchange.response.finished) {
      // The body of the request in flight is broken: its reader gets the error, and the
      // connection closes after whatever response the handler manages to send.
      this.#closing = true;
      exchange.response.closeConnection();
      exchange.request.fail(httpError);
      return;
    }
    this.#exchange = undefined;
    this.#sendError(httpError.status, httpError.message);
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
    if (exchange.response.finished || this.#destroyed) return;
    // A handler that returns without ending its response would leave the client waiting.
    this.#settings.warnUnended();
    exchange.response.end().catch(() => {});
  }

  #handlerFailed(exchange: Exchange, error: unknown): void {
    const { response } = exchange;
    if (this.#destroyed) return; // the client left; nothing to answer and nothing to report
    if (response.headersSent) {
      // Part of the response is on the wire: the only honest end is to cut the connection.
      if (!(error instanceof HttpError && error.code === "ERR_CONNECTION_CLOSED")) {
        this.#settings.reportError(error);
      }
      this.#destroy();
      return;
    }
    const known = error instanceof HttpError && error.status >= 400 && error.status < 600;
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
    if (this.#destroyed || this.#socket.writableEnded)
      return Promise.reject(connectionClosedError());
    const socket = this.#socket;
    let ok: boolean;
    if (data instanceof Uint8Array) {
      ok = socket.write(data);
    } else {
      socket.cork();
      ok = true;
      for (const part of data) ok = socket.write(part) && ok;
      socket.uncork();
    }
    if (ok) return RESOLVED;
    // A client that takes no bytes at all while the handler waits to write would hold the
    // connection and the handler forever: give it `bodyMs` of inactivity, then drop it.
    if (this.#drainWaiters.length === 0) socket.setTimeout(this.#settings.timeouts.bodyMs);
    return new Promise((resolve, reject) => this.#drainWaiters.push({ resolve, reject }));
  }

  mustClose(): boolean {
    if (this.#closing) return true;
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
    if (close) this.#closing = true;
    const { request } = exchange;
    if (!request.bodyComplete) {
      // The handler answered without reading the whole body: keep the connection only if the
      // rest is small and surely coming.
      if (this.#closing || this.#cannotDiscard(request)) {
        this.#closing = true;
        this.#inputDone = true;
        this.#end();
        return;
      }
      exchange.discarding = true;
      request.discardQueued();
      this.#arm("body");
      if (this.#blocked && !this.#inExecute) {
        this.#blocked = false;
        this.#pump();
      } else {
        this.#blocked = false;
      }
      return;
    }
    if (this.#inExecute) return; // #onComplete sees `finished` and moves on itself
    this.#next();
    if (this.#closing || this.#mustWaitForDrain()) return;
    this.#blocked = false;
    this.#pumpCorked();
  }

  /**
   * A client that pipelines requests but does not read the answers must not make us buffer
   * them: with the socket's buffer full, the next request waits for it to drain (and for
   * `bodyMs` at most, like a write that waits).
   */
  #mustWaitForDrain(): boolean {
    if (!this.#socket.writableNeedDrain) return false;
    this.#blocked = true;
    if (!this.#drainToParse && this.#drainWaiters.length === 0) {
      this.#socket.setTimeout(this.#settings.timeouts.bodyMs);
    }
    this.#drainToParse = true;
    return true;
  }

  /** The current exchange is over: close, or wait for the next request. */
  #next(): void {
    this.#exchange = undefined;
    if (this.#closing || (this.#clientEnded && this.#pending === undefined)) {
      this.#inputDone = true;
      this.#end();
      return;
    }
    this.#arm(this.#pending ? "headers" : "idle");
  }

  // ---- BodySource ----------------------------------------------------------------------------

  startReading(request: IncomingRequest): void {
    const exchange = this.#exchange;
    if (!exchange || exchange.request !== request) return;
    if (wantsContinue(request) && !exchange.response.headersSent && !request.bodyComplete) {
      this.#socket.write(CONTINUE);
    }
  }

  wantMore(): void {
    if (!this.#blocked || this.#inExecute) return;
    const exchange = this.#exchange;
    // Still blocked for pipelining if the body is complete and the response is not.
    if (exchange?.request.bodyComplete) return;
    this.#blocked = false;
    this.#pump();
  }

  waiting(waiting: boolean): void {
    if (waiting) this.#arm("body");
    else if (this.#timerMode === "body") this.#arm("none");
  }

  // ---- timers and closing ----------------------------------------------------------------------

  /**
   * Sets the deadline for `mode`. One timer per connection, re-armed lazily: a request costs
   * two `Date.now()` calls instead of a clearTimeout and a setTimeout each time it changes mode.
   */
  #arm(mode: TimerMode, from = Date.now()): void {
    this.#timerMode = mode;
    if (mode === "none" || this.#destroyed) return;
    const { headersMs, idleMs, bodyMs } = this.#settings.timeouts;
    const ms = mode === "idle" ? idleMs : mode === "headers" ? headersMs : bodyMs;
    this.#deadline = from + ms;
    if (this.#timer === undefined || this.#timerDue > this.#deadline) {
      this.#schedule(Math.max(0, this.#deadline - Date.now()));
    }
  }

  #schedule(ms: number): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timerDue = this.#deadline;
    this.#timer = setTimeout(this.#onTimer, ms);
    this.#timer.unref();
  }

  #disarm(): void {
    this.#timerMode = "none";
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  readonly #onTimer = (): void => {
    this.#timer = undefined;
    if (this.#destroyed || this.#timerMode === "none") return;
    const left = this.#deadline - Date.now();
    if (left > 0) this.#schedule(left);
    else this.#onTimeout(this.#timerMode);
  };

  #onTimeout(mode: TimerMode): void {
    this.#timerMode = "none";
    if (mode === "idle" || (mode === "headers" && !this.#everReceived && this.#parser.idle)) {
      this.#end(); // nothing was asked; nothing to answer
      return;
    }
    const error = new HttpError(
      "ERR_TIMEOUT",
      408,
      `no complete request within the ${mode} timeout`,
    );
    const exchange = this.#exchange;
    this.#inputDone = true;
    this.#closing = true;
    if (exchange && !exchange.response.finished) {
      exchange.response.closeConnection();
      exchange.request.fail(error);
      return;
    }
    if (exchange?.discarding) {
      this.#end();
      return;
    }
    this.#sendError(408, error.message);
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
    if (!this.#destroyed) this.#socket.write(head + body);
    this.#end();
  }

  /** Ends the connection after everything written so far has been flushed. */
  #end(): void {
    this.#disarm();
    this.#inputDone = true;
    if (this.#destroyed) return;
    this.#socket.end();
    // A client that never reads would keep a half-closed socket forever: give it a deadline.
    const linger = setTimeout(() => this.#destroy(), this.#settings.timeouts.idleMs);
    linger.unref();
    this.#socket.once("close", () => clearTimeout(linger));
  }

  #destroy(): void {
    if (!this.#destroyed) this.#socket.destroy();
  }

  #onDrain(): void {
    if (this.#drainWaiters.length > 0 || this.#drainToParse) this.#socket.setTimeout(0);
    const waiters = this.#drainWaiters;
    this.#drainWaiters = [];
    for (const waiter of waiters) waiter.resolve();
    if (this.#drainToParse) {
      this.#drainToParse = false;
      if (this.#destroyed || this.#inputDone || this.#exchange !== undefined) return;
      this.#blocked = false;
      this.#pumpCorked();
    }
  }

  #onClose(): void {
    this.#destroyed = true;
    this.#inputDone = true;
    this.#disarm();
    const exchange = this.#exchange;
    if (exchange && !exchange.response.finished) exchange.request.abort();
    const waiters = this.#drainWaiters;
    this.#drainWaiters = [];
    for (const waiter of waiters) waiter.reject(connectionClosedError());
    this.#onClosed(this);
  }
}
